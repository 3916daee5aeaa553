package dev.plonk.controller.analysis;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.WebhookType;
import java.time.Duration;

/**
 * The rollout state machine: pure functions from (spec, status, observation) to the next status and what to do.
 * No I/O. Follows Flagger: Initializing → Initialized → (new revision) Waiting → Progressing → Promoting → Finalising
 * → Succeeded, or Failed on rollback. Every phase that waits (for the primary, the canary, the promoted primary) is
 * bounded by {@code progressDeadlineSeconds} and says in the status what it waits for.
 */
public final class AnalysisStateMachine {
  static final Duration POLL = Duration.ofSeconds(1);
  static final String TICK_WAITS = "analysis tick waiting for its webhooks to answer (each call bounded by its "
      + "timeout) at canary weight ";

  public Decision next(RolloutSpec spec, RolloutStatus current, long generation, Observation obs) {
    Step step = new Step(spec, current, generation, obs);
    if (step.status.phase == null || step.status.lastTransitionTime == null) {
      step.enter(step.status.phase == null ? Phase.Initializing : step.status.phase);
    }
    switch (step.status.phase) {
      case Initializing -> initializing(step);
      case Initialized, Succeeded, Failed -> steady(step);
      case Waiting -> waiting(step);
      case Progressing -> progressing(step);
      case WaitingPromotion -> waitingPromotion(step);
      case Promoting -> promoting(step);
      case Finalising -> step.succeed();
      default -> throw new IllegalStateException("unknown phase " + step.status.phase);
    }
    return step.decision();
  }

  private void initializing(Step step) {
    Observation obs = step.obs;
    if (obs.primaryHash() != null && obs.primaryReady()) {
      step.initialized();
    } else if (step.deadlinePassed()) {
      // nothing to roll back to yet: the target keeps serving through the apex Service; say so, once
      String reason = obs.primaryHash() == null ? "the primary Deployment does not exist" : obs.primary().reason();
      String message = "the primary was not ready within progressDeadlineSeconds=" + step.spec.progressDeadline()
          .toSeconds() + ": " + reason + "; the target keeps serving";
      var ready = Statuses.find(step.status, RolloutStatus.READY);
      if (ready == null || !"ProgressDeadlineExceeded".equals(ready.getReason())) {
        step.event(DecisionEvent.warning("ProgressDeadlineExceeded", message));
      }
      step.condition(RolloutStatus.READY, false, "ProgressDeadlineExceeded", message);
      step.status.message = message;
      step.requeue(step.cadence.interval());
    } else {
      step.waitFor("the primary Deployment to be ready", obs.primaryHash() == null
          ? Readiness.waiting("it does not exist yet") : obs.primary());
    }
  }

  private void steady(Step step) {
    RolloutStatus s = step.status;
    if (s.phase == Phase.Failed && step.obs.action() == UserAction.RETRY) {
      step.startRevision("Retry", "retrying revision " + step.obs.targetHash() + " as asked by plonk.dev/action=retry");
    } else if (!step.obs.targetHash().equals(s.lastAppliedSpec)) {
      step.startRevision("NewRevision", "new revision " + step.obs.targetHash() + " (was " + s.lastAppliedSpec
          + "): scaling up the canary");
    } else if (step.obs.action() != UserAction.NONE) {
      step.ignoredAction("no rollout is in progress (phase " + s.phase + ")");
    }
  }

  private void waiting(Step step) {
    if (step.restartedOnNewRevision() || step.abortedByUser() || step.rolledBackByWebhook()) {
      return;
    }
    if (Gates.holds(step.status, Gates.CONFIRM_ROLLOUT)) {
      confirmRollout(step);
    } else if (step.spec.pausedOrFalse()) {
      step.hold();
    } else if (step.obs.targetReady()) {
      step.canaryReady();
    } else if (step.deadlinePassed()) {
      step.rollback("ProgressDeadlineExceeded", "the canary was not ready within progressDeadlineSeconds="
          + step.spec.progressDeadline().toSeconds() + ": " + step.obs.target().reason());
    } else {
      step.waitFor("the canary Deployment to be ready", step.obs.target());
    }
  }

  /**
   * The confirm-rollout gate: the canary is not scaled up until every confirm-rollout hook answered 2xx, within
   * {@code progressDeadlineSeconds} of the gate closing ({@link Step#gateExpired}). Then the wait for the canary starts
   * afresh.
   */
  private void confirmRollout(Step step) {
    var gate = step.obs.hooks().confirmRollout();
    if (!gate.open()) {
      Gates.close(step, WebhookType.CONFIRM_ROLLOUT, gate.waitingFor(), "scaling up the canary");
      if (!step.gateExpired()) {
        step.requeue(POLL);
      }
      return;
    }
    step.enter(Phase.Waiting);
    Gates.open(step, WebhookType.CONFIRM_ROLLOUT, "scaling up the canary");
    step.event(DecisionEvent.normal("Confirmed", Gates.names(step.spec, WebhookType.CONFIRM_ROLLOUT)
        + " answered 2xx: scaling up the canary of revision " + step.status.lastAppliedSpec));
    step.requeue(POLL);
  }

  /**
   * The analysis passed and confirm-promotion hooks hold the promotion: the checks and rollout hooks still run every
   * interval (failures count, as in Progressing), and the promotion starts once every hook answered 2xx.
   */
  private void waitingPromotion(Step step) {
    if (step.restartedOnNewRevision() || step.abortedByUser() || step.rolledBackByWebhook()) {
      return;
    }
    int weight = step.strategy.promotionWeight(step.status);
    if (step.obs.action() == UserAction.PROMOTE) {
      step.status.canaryWeight = weight;
      step.startPromotion("promotion asked by plonk.dev/action=promote while waiting for "
          + Gates.names(step.spec, WebhookType.CONFIRM_PROMOTION));
    } else if (step.obs.hooks().confirmPromotion().open()) {
      step.promoteWhenConfirmed("confirmed by " + Gates.names(step.spec, WebhookType.CONFIRM_PROMOTION), weight);
    } else if (step.spec.pausedOrFalse()) {
      step.hold();
    } else if (step.cadence.due() && !step.obs.hooks().tickPending()) {
      new AnalysisTick(step).runWhileHeld();
      if (step.status.phase == Phase.WaitingPromotion) {
        holdForPromotion(step);
      }
    } else {
      holdForPromotion(step);
    }
  }

  private static void holdForPromotion(Step step) {
    Gates.close(step, WebhookType.CONFIRM_PROMOTION, step.obs.hooks().confirmPromotion().waitingFor(), "promoting");
    if (!step.gateExpired()) {
      step.requeue(POLL);
    }
  }

  private void progressing(Step step) {
    if (step.restartedOnNewRevision() || step.abortedByUser() || step.rolledBackByWebhook()) {
      return;
    }
    if (step.obs.action() == UserAction.PROMOTE) {
      step.startPromotion("promotion asked by plonk.dev/action=promote at canary weight "
          + Statuses.intOr0(step.status.canaryWeight));
    } else if (step.spec.skipAnalysisOrFalse()) {
      step.startPromotion("skipAnalysis is set");
    } else if (step.spec.pausedOrFalse()) {
      step.hold();
    } else if (!step.obs.targetReady()) {
      step.canaryNotReady();
    } else if (step.canaryReadyAgain()) {
      step.requeue(POLL);
    } else if (!step.cadence.due()) {
      step.requeue(step.cadence.untilNext());
    } else if (step.obs.hooks().tickPending()) {
      // this tick's hooks are still being called (each bounded by its timeout): tick after them; the reconcile goes on
      step.status.message = TICK_WAITS + Statuses.intOr0(step.status.canaryWeight);
      step.requeue(POLL);
    } else {
      new AnalysisTick(step).run();
    }
  }

  /**
   * Copies exactly the analysed revision ({@code lastAppliedSpec}) into the primary. If the target has moved on
   * before the copy, the analysed template is gone: nothing is copied and the newer revision is analysed from weight 0.
   * If it moves on after the copy, the promotion finishes with the canary out of the route, and the newer revision
   * waits for its own analysis.
   */
  private void promoting(Step step) {
    RolloutStatus s = step.status;
    Observation obs = step.obs;
    if (obs.action() == UserAction.ABORT || obs.action() == UserAction.PROMOTE) {
      step.ignoredAction("the promotion is already under way");
    }
    boolean copied = s.lastAppliedSpec.equals(obs.primaryHash());
    boolean targetMoved = !s.lastAppliedSpec.equals(obs.targetHash());
    if (!copied && targetMoved) {
      step.startRevision("NewRevision", "new revision " + obs.targetHash() + " arrived before revision "
          + s.lastAppliedSpec + " was copied into the primary: nothing promoted, analysis restarted at weight 0");
      return;
    }
    if (targetMoved && Statuses.intOr0(s.canaryWeight) != 0) {
      s.canaryWeight = 0;
      step.event(DecisionEvent.normal("NewRevisionWaits", "new revision " + obs.targetHash() + " pushed while revision "
          + s.lastAppliedSpec + " is promoted: routing 100% to the primary; the new revision is analysed next"));
    }
    if (!copied) {
      step.promotePrimary = true;
      s.message = "copying revision " + s.lastAppliedSpec + " into the primary";
      step.requeue(POLL);
    } else if (obs.primaryReady()) {
      step.finalising();
    } else if (step.deadlinePassed()) {
      step.rollback("ProgressDeadlineExceeded", "the promoted primary was not ready within progressDeadlineSeconds="
          + step.spec.progressDeadline().toSeconds() + ": " + obs.primary().reason()
          + "; the primary goes back to revision " + s.lastPromotedSpec);
    } else {
      step.waitFor("the promoted primary to be ready", obs.primary());
    }
  }
}
