package dev.plonk.controller.analysis;

import java.util.Locale;
import java.util.Optional;

/** What a user asked for through the {@code plonk.dev/action} annotation. */
public enum UserAction {
  NONE,
  /** Skip the remaining analysis and promote. */
  PROMOTE,
  /** Roll back now. */
  ABORT,
  /** Re-run a Failed revision. */
  RETRY;

  /** Parses the annotation value; empty when it is unknown (the reconciler reports that in an Event). */
  public static Optional<UserAction> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.of(NONE);
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "promote" -> Optional.of(PROMOTE);
      case "abort" -> Optional.of(ABORT);
      case "retry" -> Optional.of(RETRY);
      default -> Optional.empty();
    };
  }
}
