package dev.plonk.controller.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.Strategy;
import dev.plonk.api.v1alpha1.ThresholdRange;
import dev.plonk.api.v1alpha1.Webhook;
import dev.plonk.api.v1alpha1.WebhookType;
import dev.plonk.controller.analysis.HookView.Gate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flagger's webhook semantics in the pure state machine: gates hold, failing tick hooks count, rollback hooks roll back. */
class WebhookGatesTest {
  static final ThresholdRange RANGE = new ThresholdRange(99.0, null);
  final AnalysisStateMachine machine = new AnalysisStateMachine();
  Instant now = Instant.parse("2026-11-24T20:00:00Z");
  RolloutSpec spec = AnalysisStateMachineTest.spec();
  RolloutStatus status = new RolloutStatus();
  String targetHash = "v1";
  HookView hooks = HookView.NONE;
  final List<DecisionEvent> events = new ArrayList<>();

  void hook(String name, WebhookType type) {
    spec.analysis.webhooks.add(new Webhook(name, type, "http://hooks.test/" + name));
  }

  Decision step(List<CheckOutcome> checks) {
    Observation obs = new Observation(now, targetHash, Readiness.READY, "v1", Readiness.READY, UserAction.NONE,
        Cadence.of(spec, status, now), checks, hooks);
    Decision d = machine.next(spec, status, 7, obs);
    status = d.status();
    events.addAll(d.events());
    return d;
  }

  Decision tick(boolean pass) {
    now = now.plusSeconds(2);
    boolean needed = Cadence.of(spec, status, now).checksNeeded();
    return step(needed ? List.of(CheckOutcome.measured("request-success-rate", pass ? 100 : 40, RANGE)) : null);
  }

  void newRevision() {
    step(null);
    targetHash = "v2";
    step(null);
    assertThat(status.phase).isEqualTo(Phase.Waiting);
  }

  String gate() {
    var c = Statuses.find(status, RolloutStatus.GATE);
    return c == null ? null : c.getStatus() + "/" + c.getReason() + ": " + c.getMessage();
  }

  @Test
  void confirmRolloutHoldsTheCanaryAtZeroUntilItAnswers2xx() {
    hook("approve", WebhookType.CONFIRM_ROLLOUT);
    newRevision();
    assertThat(gate()).startsWith("False/ConfirmRollout: waiting for confirm-rollout webhook 'approve' to answer 2xx");
    assertThat(Desired.targetRuns(status)).as("not scaled up before the gate opens").isFalse();
    hooks = new HookView(Gate.closed("confirm-rollout webhook 'approve' (http://hooks.test/approve): HTTP 403, 1 call"),
        Gate.OPEN, Gate.OPEN, List.of(), false, null);
    now = now.plusSeconds(59);
    step(null);
    assertThat(status.phase).as("within the deadline of 60 s").isEqualTo(Phase.Waiting);
    assertThat(gate()).contains("HTTP 403, 1 call");
    hooks = HookView.NONE;
    step(null);
    assertThat(gate()).startsWith("True/Confirmed");
    assertThat(status.lastTransitionTime).as("the canary's deadline starts at the approval").isEqualTo(now.toString());
    assertThat(Desired.targetRuns(status)).isTrue();
    step(null);
    assertThat(status.phase).isEqualTo(Phase.Progressing);
    assertThat(events).extracting(DecisionEvent::reason).contains("Halted", "Confirmed", "CanaryReady");
  }

  /** No phase waits forever: each gate closed for longer than progressDeadlineSeconds rolls back, saying which. */
  @Test
  void everyGateClosedPastTheDeadlineRollsBack() {
    hook("approve", WebhookType.CONFIRM_ROLLOUT);
    newRevision();
    hooks = new HookView(Gate.closed("confirm-rollout webhook 'approve' (x): HTTP 403, 9 calls"), Gate.OPEN, Gate.OPEN,
        List.of(), false, null);
    now = now.plusSeconds(61);
    step(null);
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(Statuses.find(status, RolloutStatus.READY).getMessage()).isEqualTo("rolled back revision v2 from canary "
        + "weight 0: the ConfirmRollout gate stayed closed for longer than progressDeadlineSeconds=60: waiting for "
        + "confirm-rollout webhook 'approve' (x): HTTP 403, 9 calls, before scaling up the canary");

    spec.analysis.webhooks.clear();
    hook("step", WebhookType.CONFIRM_TRAFFIC_INCREASE);
    targetHash = "v3";
    step(null);
    assertThat(gate()).as("a new revision's gates start afresh").isNull();
    step(null);
    hooks = new HookView(Gate.OPEN, Gate.closed("confirm-traffic-increase webhook 'step' (x): HTTP 500, 1 call"),
        Gate.OPEN, List.of(), false, null);
    tick(true);
    assertThat(status.phase).isEqualTo(Phase.Progressing);
    now = now.plusSeconds(60);
    tick(true);
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(Statuses.find(status, RolloutStatus.READY).getMessage()).contains("the ConfirmTrafficIncrease gate "
        + "stayed closed for longer than progressDeadlineSeconds=60");

    spec.analysis.webhooks.clear();
    hook("promote", WebhookType.CONFIRM_PROMOTION);
    hooks = HookView.NONE;
    targetHash = "v4";
    step(null);
    step(null);
    while (status.phase == Phase.Progressing) {
      tick(true);
    }
    assertThat(status.phase).isEqualTo(Phase.WaitingPromotion);
    hooks = new HookView(Gate.OPEN, Gate.OPEN, Gate.closed("confirm-promotion webhook 'promote' (x): HTTP 403, 1 call"),
        List.of(), false, null);
    tick(true);
    assertThat(status.phase).as("checks pass, the gate holds").isEqualTo(Phase.WaitingPromotion);
    now = now.plusSeconds(60);
    tick(true);
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(Statuses.find(status, RolloutStatus.READY).getMessage()).startsWith("rolled back revision v4 from canary "
        + "weight 50: the ConfirmPromotion gate stayed closed for longer than progressDeadlineSeconds=60");
  }

  @Test
  void failingPreRolloutHookIsAFailedCheckAndHoldsTheWeightAtZero() {
    hook("acceptance", WebhookType.PRE_ROLLOUT);
    newRevision();
    step(null);
    hooks = new HookView(Gate.OPEN, Gate.OPEN, Gate.OPEN, List.of(new CheckOutcome("acceptance", null, null, false,
        "pre-rollout webhook 'acceptance' (http://hooks.test/acceptance) failed: HTTP 500", null)), false, null);
    tick(true);
    tick(true);
    assertThat(status.canaryWeight).isZero();
    assertThat(status.failedChecks).isEqualTo(2);
    tick(true);
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(status.message).contains("3/3 failed checks").contains("pre-rollout webhook 'acceptance'");
  }

  @Test
  void aTickWaitsForItsHooks() {
    hook("load", WebhookType.ROLLOUT);
    newRevision();
    step(null);
    hooks = new HookView(Gate.OPEN, Gate.OPEN, Gate.OPEN, List.of(), true, null);
    Decision d = tick(true);
    assertThat(d.requeueAfter()).isEqualTo(AnalysisStateMachine.POLL);
    assertThat(status.canaryWeight).isZero();
    hooks = HookView.NONE;
    step(null);
    assertThat(status.canaryWeight).isEqualTo(10);
  }

  @Test
  void confirmTrafficIncreaseHoldsEachStep() {
    hook("step", WebhookType.CONFIRM_TRAFFIC_INCREASE);
    newRevision();
    step(null);
    hooks = new HookView(Gate.OPEN, Gate.closed("confirm-traffic-increase webhook 'step' (x): HTTP 500, 1 call"),
        Gate.OPEN, List.of(), false, null);
    tick(true);
    assertThat(status.canaryWeight).isZero();
    assertThat(gate()).startsWith("False/ConfirmTrafficIncrease").contains("before canary weight 0 -> 10");
    hooks = HookView.NONE;
    tick(true);
    assertThat(status.canaryWeight).isEqualTo(10);
    assertThat(gate()).startsWith("True/Confirmed");
  }

  @Test
  void confirmPromotionWaitsInWaitingPromotionWhereChecksStillCount() {
    hook("promote", WebhookType.CONFIRM_PROMOTION);
    spec.strategy = Strategy.BLUE_GREEN;
    newRevision();
    step(null);
    for (int i = 0; i < 3; i++) {
      tick(true);
    }
    assertThat(status.phase).isEqualTo(Phase.WaitingPromotion);
    assertThat(status.canaryWeight).as("blue/green stays at 0 until promoted").isZero();
    assertThat(gate()).startsWith("False/ConfirmPromotion");
    hooks = new HookView(Gate.OPEN, Gate.OPEN, Gate.closed("confirm-promotion webhook 'promote' (x): HTTP 403, 2 calls"),
        List.of(), false, null);
    tick(false);
    assertThat(status.phase).isEqualTo(Phase.WaitingPromotion);
    assertThat(status.failedChecks).isEqualTo(1);
    assertThat(gate()).contains("HTTP 403, 2 calls");
    hooks = HookView.NONE;
    step(null);
    assertThat(status.phase).isEqualTo(Phase.Promoting);
    assertThat(status.canaryWeight).isEqualTo(100);
  }

  @Test
  void confirmPromotionFailuresRollBackAtTheThreshold() {
    hook("promote", WebhookType.CONFIRM_PROMOTION);
    newRevision();
    step(null);
    while (status.phase == Phase.Progressing) {
      tick(true);
    }
    assertThat(status.phase).isEqualTo(Phase.WaitingPromotion);
    assertThat(status.canaryWeight).isEqualTo(50);
    hooks = new HookView(Gate.OPEN, Gate.OPEN, Gate.closed("confirm-promotion webhook 'promote' (x): HTTP 403, 1 call"),
        List.of(), false, null);
    tick(false);
    tick(false);
    tick(false);
    assertThat(status.phase).isEqualTo(Phase.Failed);
  }

  @Test
  void rollbackHookAnswering2xxRollsBack() {
    hook("stop", WebhookType.ROLLBACK);
    newRevision();
    step(null);
    tick(true);
    assertThat(status.canaryWeight).isEqualTo(10);
    hooks = new HookView(Gate.OPEN, Gate.OPEN, Gate.OPEN, List.of(), false,
        "rollback webhook 'stop' (http://hooks.test/stop) answered HTTP 200");
    step(null);
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(Statuses.find(status, RolloutStatus.READY).getReason()).isEqualTo("RollbackWebhook");
  }
}
