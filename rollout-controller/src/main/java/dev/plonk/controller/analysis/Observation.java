package dev.plonk.controller.analysis;

import java.time.Instant;
import java.util.List;

/**
 * What the reconciler saw of the world, handed to the pure state machine.
 *
 * @param targetHash the target's revision: its pod template (and, with config tracking, its configs)
 * @param target readiness of the target (canary) Deployment
 * @param primaryHash the revision the primary was last copied from (null when it does not exist yet)
 * @param primary readiness of the primary Deployment
 * @param cadence whether an analysis tick is due, computed once for this reconcile
 * @param checks the metric checks of this tick, or null when no analysis ran
 * @param hooks the webhooks' last answers ({@link HookView#NONE} without webhooks)
 */
public record Observation(Instant now, String targetHash, Readiness target, String primaryHash, Readiness primary,
    UserAction action, Cadence cadence, List<CheckOutcome> checks, HookView hooks) {

  public Observation(Instant now, String targetHash, Readiness target, String primaryHash, Readiness primary,
      UserAction action, Cadence cadence, List<CheckOutcome> checks) {
    this(now, targetHash, target, primaryHash, primary, action, cadence, checks, HookView.NONE);
  }

  public boolean targetReady() {
    return target.ready();
  }

  public boolean primaryReady() {
    return primary.ready();
  }

  public Observation withChecks(List<CheckOutcome> newChecks) {
    return new Observation(now, targetHash, target, primaryHash, primary, action, cadence, newChecks, hooks);
  }

  public Observation withHooks(HookView newHooks) {
    return new Observation(now, targetHash, target, primaryHash, primary, action, cadence, checks, newHooks);
  }
}
