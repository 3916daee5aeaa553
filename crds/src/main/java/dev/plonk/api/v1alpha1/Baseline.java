package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a metric check compares the canary with. Unset: nothing, the canary is judged alone by {@code thresholdRange}. */
public enum Baseline {
  /** The primary over the same window, by a sequential test on both versions' counts. */
  @JsonProperty("primary")
  PRIMARY
}
