package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The evidence of a {@code comparison: primary} check: both versions' samples, the compared quantity with its
 * confidence interval, the tolerance it is judged against, and the test statistic with its threshold.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComparisonResult {
  /** {@code Worse} (rolled back), {@code NoWorse} (may promote early) or {@code Inconclusive} (not enough evidence). */
  public String verdict;
  public VersionSample canary;
  public VersionSample primary;
  /** What estimate, lower, upper and boundary measure, e.g. "error rate difference (pp)". */
  public String quantity;
  public Double estimate;
  /** The confidence sequence at {@link #confidence}: valid at every tick, however many ticks are looked at. */
  public Double lower;
  public Double upper;
  /** The tolerance: worse when {@code lower > boundary}, no worse when {@code upper <= boundary}. */
  public Double boundary;
  /** Natural log of the mixture likelihood ratio against the boundary. */
  public Double statistic;
  /** {@code ln(1 / (1 - confidence))}: a statistic above it rejects the boundary. */
  public Double threshold;
  /** Percent. */
  public Double confidence;

  /** One version's sample over the window. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class VersionSample {
    /** Requests in the window (Prometheus increase). */
    public Long requests;
    /** Errors, or for latency the calls slower than the limit. */
    public Long events;
    /** The error rate in percent, or the p99 in milliseconds. */
    public Double estimate;

    public VersionSample() {}

    public VersionSample(long requests, long events, double estimate) {
      this.requests = requests;
      this.events = events;
      this.estimate = Double.isFinite(estimate) ? estimate : null;
    }
  }
}
