package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the canary gets traffic. */
public enum Strategy {
  /** Weights rise step by step while every check passes. */
  @JsonProperty("canary")
  CANARY,
  /** The canary is checked at weight 0 for {@code iterations} intervals, then takes all traffic at once. */
  @JsonProperty("blueGreen")
  BLUE_GREEN
}
