package dev.plonk.controller.hooks;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.Strategy;
import dev.plonk.api.v1alpha1.Webhook;
import dev.plonk.api.v1alpha1.WebhookType;
import dev.plonk.controller.analysis.Cadence;
import dev.plonk.controller.analysis.CheckOutcome;
import dev.plonk.controller.analysis.Gates;
import dev.plonk.controller.analysis.HookView;
import dev.plonk.controller.analysis.HookView.Gate;
import dev.plonk.controller.analysis.Statuses;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the webhooks what this reconcile needs to know, without waiting for them ({@link HookCalls}), and turns their
 * last answers into the {@link HookView} the state machine reads. Which hooks are asked depends on the status:
 * <ul>
 *   <li>confirm-rollout while its gate holds a Waiting rollout, once per interval;
 *   <li>rollback in Waiting, Progressing and WaitingPromotion, once per interval;
 *   <li>at a due tick: pre-rollout (weight 0, first iteration), rollout, and confirm-traffic-increase (canary);
 *   <li>confirm-promotion in WaitingPromotion, once per interval.
 * </ul>
 */
public final class HookObserver {
  private final HookCalls calls;
  private final HookCaller caller;

  public HookObserver(HookCalls calls, HookCaller caller) {
    this.calls = calls;
    this.caller = caller;
  }

  public HookView observe(Rollout rollout, RolloutStatus status, Cadence cadence, Instant now) {
    List<Webhook> hooks = rollout.getSpec().analysis.webhooks;
    Phase phase = status.phase;
    if (hooks == null || hooks.isEmpty() || phase == null || status.lastAppliedSpec == null) {
      return HookView.NONE;
    }
    Duration interval = cadence.interval();
    long periodic = now.toEpochMilli() / Math.max(1, interval.toMillis());
    String rev = status.lastAppliedSpec;
    Gate confirmRollout = Gate.OPEN;
    if (phase == Phase.Waiting && Gates.holds(status, Gates.CONFIRM_ROLLOUT)) {
      confirmRollout = gate(rollout, status, WebhookType.CONFIRM_ROLLOUT, "rev/" + rev, periodic);
    }
    String rollbackBy = null;
    if (phase == Phase.Waiting || phase == Phase.Progressing || phase == Phase.WaitingPromotion) {
      rollbackBy = rollbackBy(rollout, status, "rev/" + rev, periodic);
    }
    Gate confirmPromotion = phase == Phase.WaitingPromotion
        ? gate(rollout, status, WebhookType.CONFIRM_PROMOTION, "rev/" + rev, periodic) : Gate.OPEN;
    Gate trafficIncrease = Gate.OPEN;
    List<CheckOutcome> tick = List.of();
    boolean pending = false;
    if (cadence.due()) {
      String scope = "tick/" + rev + "/" + status.lastAnalysisTime;
      List<WebhookType> types = new ArrayList<>(List.of(WebhookType.ROLLOUT));
      if (phase == Phase.Progressing && Statuses.intOr0(status.canaryWeight) == 0
          && Statuses.intOr0(status.iterations) == 0) {
        types.add(0, WebhookType.PRE_ROLLOUT);
      }
      List<CheckOutcome> outcomes = new ArrayList<>();
      for (Webhook w : hooks) {
        if (types.contains(w.type)) {
          HookCalls.State s = poll(rollout, status, w, scope, 0);
          pending |= s.pending();
          if (!s.pending()) {
            outcomes.add(outcome(w, s.last()));
          }
        }
      }
      tick = outcomes;
      if (phase == Phase.Progressing && rollout.getSpec().strategyOrDefault() == Strategy.CANARY) {
        String weightScope = "weight/" + rev + "/" + Statuses.intOr0(status.canaryWeight) + "/"
            + status.lastAnalysisTime;
        trafficIncrease = gate(rollout, status, WebhookType.CONFIRM_TRAFFIC_INCREASE, weightScope, 0);
        // asked once per tick (round 0): the tick waits for its answer as for the rollout hooks'
        pending |= trafficIncrease.waitingFor() != null && trafficIncrease.waitingFor().contains(PENDING);
      }
    }
    return new HookView(confirmRollout, trafficIncrease, confirmPromotion, tick, pending, rollbackBy);
  }

  private static final String PENDING = "(call in flight)";

  /** Open when every hook of {@code type} answered 2xx in its last round; else names the first that did not. */
  private Gate gate(Rollout rollout, RolloutStatus status, WebhookType type, String scope, long round) {
    List<String> closed = new ArrayList<>();
    for (Webhook w : rollout.getSpec().analysis.webhooks) {
      if (w.type != type) {
        continue;
      }
      HookCalls.State s = poll(rollout, status, w, scope, round);
      if (s.last() == null || !s.last().ok()) {
        closed.add(describe(w) + ": " + (s.last() == null ? PENDING : s.last().describe() + ", "
            + s.calls() + (s.calls() == 1 ? " call" : " calls")));
      }
    }
    return closed.isEmpty() ? Gate.OPEN : Gate.closed(String.join("; ", closed));
  }

  private String rollbackBy(Rollout rollout, RolloutStatus status, String scope, long round) {
    for (Webhook w : rollout.getSpec().analysis.webhooks) {
      if (w.type == WebhookType.ROLLBACK) {
        HookCalls.State s = poll(rollout, status, w, "rollback/" + scope, round);
        if (s.last() != null && s.last().ok()) {
          return describe(w) + " answered " + s.last().answer();
        }
      }
    }
    return null;
  }

  private HookCalls.State poll(Rollout rollout, RolloutStatus status, Webhook w, String scope, long round) {
    var key = new HookCalls.Key(rollout.getMetadata().getUid(), w.name, w.type.wire() + "/" + scope);
    WebhookPayload payload = new WebhookPayload(rollout.getMetadata().getName(), rollout.getMetadata().getNamespace(),
        status.phase.name(), status.lastAppliedSpec, w.metadata);
    return calls.poll(key, round, () -> caller.post(w.url, payload.toJson(), w.timeoutDuration(), w.retriesOrDefault()));
  }

  /** A pre-rollout or rollout hook as a check of the tick: a failure counts towards the threshold. */
  static CheckOutcome outcome(Webhook w, HookResult r) {
    return new CheckOutcome(w.name, null, null, r.ok(), describe(w) + (r.ok() ? " passed: " : " failed: ")
        + r.describe(), null);
  }

  static String describe(Webhook w) {
    return w.type.wire() + " webhook '" + w.name + "' (" + w.url + ")";
  }
}
