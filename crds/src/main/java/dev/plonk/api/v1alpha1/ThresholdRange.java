package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** A check passes when {@code min <= value <= max}; at least one bound is required. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.min) || has(self.max)",
    message = "thresholdRange needs min, max or both: set e.g. {min: 99} for a success rate or {max: 500} for a latency")
@ValidationRule(value = "!has(self.min) || !has(self.max) || self.min <= self.max",
    message = "thresholdRange.min must not be greater than thresholdRange.max")
public class ThresholdRange {
  @JsonPropertyDescription("Lowest passing value (inclusive); unset: no lower bound.")
  public Double min;
  @JsonPropertyDescription("Highest passing value (inclusive); unset: no upper bound.")
  public Double max;

  public ThresholdRange() {}

  public ThresholdRange(Double min, Double max) {
    this.min = min;
    this.max = max;
  }

  public boolean contains(double value) {
    return (min == null || value >= min) && (max == null || value <= max);
  }

  @Override
  public String toString() {
    return "[" + (min == null ? "-inf" : min) + ", " + (max == null ? "+inf" : max) + "]";
  }
}
