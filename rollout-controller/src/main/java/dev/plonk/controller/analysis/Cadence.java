package dev.plonk.controller.analysis;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * When the analysis ticks, decided once per reconcile from the spec, the status and the clock: the reconciler reads it
 * to know whether to query Prometheus, the state machine to know whether to tick.
 *
 * @param interval the analysis interval (also the steady resync, so drift is repaired within one interval)
 * @param due a Progressing (or WaitingPromotion) rollout, neither paused nor skipping analysis, whose interval has elapsed
 * @param checksNeeded the due tick judges metric checks (a canary at weight 0 only takes its first step)
 * @param untilNext time left until the next tick; zero when due
 */
public record Cadence(Duration interval, boolean due, boolean checksNeeded, Duration untilNext) {

  public static Cadence of(RolloutSpec spec, RolloutStatus status, Instant now) {
    Duration interval = spec.analysis.intervalDuration();
    Duration left = Duration.ZERO;
    if (status != null && status.lastAnalysisTime != null) {
      left = Duration.between(now, Instant.parse(status.lastAnalysisTime).plus(interval));
      left = left.isNegative() ? Duration.ZERO : left;
    }
    boolean due = status != null && (status.phase == Phase.Progressing || status.phase == Phase.WaitingPromotion)
        && !spec.pausedOrFalse()
        && !spec.skipAnalysisOrFalse() && left.isZero();
    boolean checks = due && RolloutStrategy.of(spec).checksAt(status);
    return new Cadence(interval, due, checks, left);
  }
}
