package dev.plonk.controller.analysis;

import java.util.List;

/**
 * What the webhooks answered, as far as this reconcile knows; the reconciler calls them off its threads and hands the
 * state machine only their last answers.
 *
 * @param confirmRollout the confirm-rollout gate (polled while the rollout waits on it)
 * @param confirmTrafficIncrease the confirm-traffic-increase gate (asked at each due tick of a canary)
 * @param confirmPromotion the confirm-promotion gate (polled in WaitingPromotion)
 * @param tick the outcomes of this tick's pre-rollout and rollout hooks, each a check that passed or failed
 * @param tickPending a due tick's hooks have not all answered yet: the tick waits (each call is bounded by its timeout)
 * @param rollbackBy the rollback hook that answered 2xx, with its answer; null when none did
 */
public record HookView(Gate confirmRollout, Gate confirmTrafficIncrease, Gate confirmPromotion, List<CheckOutcome> tick,
    boolean tickPending, String rollbackBy) {
  public static final HookView NONE = new HookView(Gate.OPEN, Gate.OPEN, Gate.OPEN, List.of(), false, null);

  /**
   * A confirm-* gate.
   *
   * @param open every hook of the type answered 2xx (or there is none)
   * @param waitingFor when closed, which hook holds it and its last answer, e.g. {@code confirm-rollout webhook
   *     'approve' (http://...): HTTP 403, 2 calls}
   */
  public record Gate(boolean open, String waitingFor) {
    public static final Gate OPEN = new Gate(true, null);

    public static Gate closed(String waitingFor) {
      return new Gate(false, waitingFor);
    }
  }
}
