package dev.plonk.controller.analysis;

import dev.plonk.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * The window of a comparison check: from the moment the canary's analysis started (the rollout entered Progressing)
 * to now. Counts over it grow tick after tick, so the sequential test sees all the evidence so far, and Prometheus'
 * {@code increase()} handles counter resets inside it.
 */
public final class AnalysisWindow {
  private AnalysisWindow() {}

  /** When the analysis of the current revision started; {@code now} if unknown. */
  public static Instant start(RolloutStatus status, Instant now) {
    return status == null || status.lastTransitionTime == null ? now : Instant.parse(status.lastTransitionTime);
  }

  /** From the start to now in whole seconds, rounded up, and at least {@code minimum}. */
  public static Duration since(RolloutStatus status, Instant now, Duration minimum) {
    Duration elapsed = Duration.between(start(status, now), now);
    Duration whole = Duration.ofSeconds(elapsed.toSeconds() + (elapsed.toNanosPart() > 0 ? 1 : 0));
    return whole.compareTo(minimum) < 0 ? minimum : whole;
  }
}
