package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The evidence of a {@code comparison: primary} check: both versions' samples, the compared quantity with its
 * confidence interval, the tolerance it is judged against, and the test statistic with its threshold.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComparisonResult {
  /** {@code Worse} (rolled back), {@code NoWorse} (may promote early) or {@code Inconclusive} (not enough evidence). */
  @JsonPropertyDescription("Worse (rolled back), NoWorse (may promote early) or Inconclusive (not enough evidence yet).")
  public String verdict;
  @JsonPropertyDescription("The canary's sample over the window.")
  public VersionSample canary;
  @JsonPropertyDescription("The primary's sample over the window.")
  public VersionSample primary;
  /** What estimate, lower, upper and boundary measure, e.g. "error rate difference (pp)". */
  @JsonPropertyDescription("What estimate, lower, upper and boundary measure, e.g. error rate difference (pp).")
  public String quantity;
  @JsonPropertyDescription("The compared quantity, canary against primary.")
  public Double estimate;
  /** The confidence sequence at {@link #confidence}: valid at every tick, however many ticks are looked at. */
  @JsonPropertyDescription("Lower end of the confidence sequence at the given confidence (valid at every tick).")
  public Double lower;
  @JsonPropertyDescription("Upper end of the confidence sequence.")
  public Double upper;
  /** The tolerance: worse when {@code lower > boundary}, no worse when {@code upper <= boundary}. */
  @JsonPropertyDescription("The tolerance: worse when lower > boundary, no worse when upper <= boundary.")
  public Double boundary;
  /** Natural log of the mixture likelihood ratio against the boundary. */
  @JsonPropertyDescription("Natural log of the mixture likelihood ratio against the boundary.")
  public Double statistic;
  /** {@code ln(1 / (1 - confidence))}: a statistic above it rejects the boundary. */
  @JsonPropertyDescription("ln(1 / (1 - confidence)): a statistic above it rejects the boundary.")
  public Double threshold;
  /** Percent. */
  @JsonPropertyDescription("The confidence, in percent.")
  public Double confidence;

  /** One version's sample over the window. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class VersionSample {
    /** Requests in the window (Prometheus increase). */
    @JsonPropertyDescription("Requests in the window (Prometheus increase).")
    public Long requests;
    /** Errors, or for latency the calls slower than the limit. */
    @JsonPropertyDescription("Errors, or for latency the calls slower than the limit.")
    public Long events;
    /** The error rate in percent, or the p99 in milliseconds. */
    @JsonPropertyDescription("The error rate in percent, or the p99 in milliseconds.")
    public Double estimate;

    public VersionSample() {}

    public VersionSample(long requests, long events, double estimate) {
      this.requests = requests;
      this.events = events;
      this.estimate = Double.isFinite(estimate) ? estimate : null;
    }
  }
}
