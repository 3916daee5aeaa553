package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which events an alert sends, as in Flagger: info all of them, warn warnings and errors, error only errors. */
public enum Severity {
  @JsonProperty("info")
  INFO,
  @JsonProperty("warn")
  WARN,
  @JsonProperty("error")
  ERROR;

  /** Whether an event of {@code level} reaches an alert of this severity. */
  public boolean admits(Severity level) {
    return level.ordinal() >= ordinal();
  }

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
