package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The outcome of one check, kept in status so users see why, not just what. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisResult {
  public String metric;
  /** Absent when the query returned no data, NaN or an error; {@link #message} says which. */
  public Double value;
  public String thresholdRange;
  public Boolean passed;
  /** RFC 3339. */
  public String time;
  public String message;
  /** Set for a {@code comparison: primary} check: its evidence. */
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
