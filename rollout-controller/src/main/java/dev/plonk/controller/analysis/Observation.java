package dev.plonk.controller.analysis;

import java.time.Instant;
import java.util.List;

/**
 * What the reconciler saw of the world, handed to the pure state machine.
 *
 * @param targetHash hash of the target Deployment's pod template
 * @param targetReady the target (canary) Deployment has all its desired replicas ready
 * @param primaryHash the pod-template hash the primary was last copied from (null when it does not exist yet)
 * @param primaryReady the primary Deployment exists and has all its desired replicas ready
 * @param checks the metric checks of this tick, or null when no analysis ran
 */
public record Observation(Instant now, String targetHash, boolean targetReady, String primaryHash, boolean primaryReady,
    UserAction action, List<CheckOutcome> checks) {

  public Observation withChecks(List<CheckOutcome> newChecks) {
    return new Observation(now, targetHash, targetReady, primaryHash, primaryReady, action, newChecks);
  }
}
