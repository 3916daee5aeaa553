package dev.plonk.controller.analysis;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutStatus;

/** What the world should look like for a status: router weights and whether the target (canary) runs. */
public final class Desired {
  private Desired() {}

  public static int canaryWeight(RolloutStatus status) {
    return status == null || status.canaryWeight == null ? 0 : status.canaryWeight;
  }

  public static int primaryWeight(RolloutStatus status) {
    return 100 - canaryWeight(status);
  }

  /**
   * Before bootstrap the target keeps serving; during a rollout it runs as the canary, except while a confirm-rollout
   * webhook holds it (Flagger's gate comes before the canary is scaled up); otherwise it is scaled to 0.
   */
  public static boolean targetRuns(RolloutStatus status) {
    Phase phase = status == null ? null : status.phase;
    if (phase == Phase.Waiting && Gates.holds(status, Gates.CONFIRM_ROLLOUT)) {
      return false;
    }
    return phase == null || phase == Phase.Initializing || phase == Phase.Waiting || phase == Phase.Progressing
        || phase == Phase.WaitingPromotion || phase == Phase.Promoting;
  }
}
