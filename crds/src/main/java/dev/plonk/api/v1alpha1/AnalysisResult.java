package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The outcome of one check, kept in status so users see why, not just what. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisResult {
  @JsonPropertyDescription("The check's name.")
  public String metric;
  /** Absent when the query returned no data, NaN or an error; {@link #message} says which. */
  @JsonPropertyDescription("The measured value; absent when the query returned no data, NaN or an error (see message).")
  public Double value;
  @JsonPropertyDescription("The range the value had to be in, e.g. [99.0, +inf].")
  public String thresholdRange;
  @JsonPropertyDescription("Whether the check passed.")
  public Boolean passed;
  /** RFC 3339. */
  @JsonPropertyDescription("When the check ran (RFC 3339).")
  public String time;
  @JsonPropertyDescription("The value against its range, or why there is no value (with the query).")
  public String message;
  /** Set for a {@code comparison: primary} check: its evidence. */
  @JsonPropertyDescription("Set for a comparison: primary check: the evidence behind its verdict.")
  public ComparisonResult comparison;

  public AnalysisResult() {}

  public AnalysisResult(String metric, Double value, String thresholdRange, boolean passed, String time, String message) {
    this.metric = metric;
    this.value = value;
    this.thresholdRange = thresholdRange;
    this.passed = passed;
    this.time = time;
    this.message = message;
  }
}
