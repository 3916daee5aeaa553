package dev.plonk.controller.analysis;

import static dev.plonk.controller.analysis.Statuses.intOr0;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.Durations;
import dev.plonk.api.v1alpha1.WebhookType;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The working copy of one state-machine step: a fresh status plus the events and actions decided so far. */
final class Step {
  final RolloutSpec spec;
  final RolloutStatus status;
  final long generation;
  final Observation obs;
  final Cadence cadence;
  final RolloutStrategy strategy;
  final List<DecisionEvent> events = new ArrayList<>();
  boolean promotePrimary;
  Duration requeueAfter;

  Step(RolloutSpec spec, RolloutStatus current, long generation, Observation obs) {
    this.spec = spec;
    this.status = Statuses.copy(current);
    this.generation = generation;
    this.obs = obs;
    this.cadence = obs.cadence();
    this.strategy = RolloutStrategy.of(spec);
    this.status.observedGeneration = generation;
  }

  Decision decision() {
    return new Decision(status, promotePrimary, obs.action() != UserAction.NONE, List.copyOf(events), requeueAfter);
  }

  void requeue(Duration d) {
    requeueAfter = d;
  }

  void event(DecisionEvent e) {
    events.add(e);
    status.message = e.message();
  }

  void condition(String type, boolean value, String reason, String message) {
    Statuses.condition(status, type, value, reason, message, generation, obs.now());
  }

  void enter(Phase phase) {
    status.phase = phase;
    status.lastTransitionTime = obs.now().toString();
  }

  void initialized() {
    enter(Phase.Initialized);
    status.canaryWeight = 0;
    status.failedChecks = 0;
    status.iterations = 0;
    status.lastAppliedSpec = obs.targetHash();
    status.lastPromotedSpec = obs.primaryHash();
    condition(RolloutStatus.READY, true, "Initialized", "primary ready with revision " + obs.primaryHash());
    condition(RolloutStatus.PROMOTED, true, "Initialized", "revision " + obs.primaryHash() + " serves 100% of traffic");
    event(DecisionEvent.normal("Initialized", "primary ready with revision " + obs.primaryHash()
        + "; routing 100/0 to the primary and scaling the target to 0"));
    requeue(AnalysisStateMachine.POLL);
  }

  void startRevision(String reason, String message) {
    enter(Phase.Waiting);
    status.canaryWeight = 0;
    status.failedChecks = 0;
    status.iterations = 0;
    status.lastAppliedSpec = obs.targetHash();
    status.lastAnalysisTime = null;
    status.lastAnalysis = new ArrayList<>();
    condition(RolloutStatus.PROMOTED, false, reason, "revision " + obs.targetHash() + " is being analysed");
    condition(RolloutStatus.ANALYSIS, false, "Waiting", "waiting for the canary to be ready");
    event(DecisionEvent.normal(reason, message));
    status.conditions.removeIf(c -> RolloutStatus.GATE.equals(c.getType()));   // each revision's gates start afresh
    if (Gates.has(spec, WebhookType.CONFIRM_ROLLOUT)) {
      Gates.close(this, WebhookType.CONFIRM_ROLLOUT, null, "scaling up the canary");
      events.add(DecisionEvent.normal("Halted", status.message));
    }
    requeue(AnalysisStateMachine.POLL);
  }

  /**
   * The analysis passed: promote, unless confirm-promotion webhooks must agree first. Then the rollout waits in
   * WaitingPromotion at its weight (its checks still run every interval) until they all answer 2xx.
   */
  void promoteWhenConfirmed(String why, int weightOnPromotion) {
    // the hooks are only asked in WaitingPromotion: coming from Progressing, the gate has not been asked yet
    boolean confirmed = status.phase == Phase.WaitingPromotion && obs.hooks().confirmPromotion().open();
    if (Gates.has(spec, WebhookType.CONFIRM_PROMOTION) && !confirmed) {
      status.phase = Phase.WaitingPromotion;
      condition(RolloutStatus.ANALYSIS, true, "Passed", why);
      events.add(DecisionEvent.normal("WaitingPromotion", "analysis of revision " + status.lastAppliedSpec
          + " passed (" + why + "); waiting for " + Gates.names(spec, WebhookType.CONFIRM_PROMOTION)
          + " to answer 2xx"));
      Gates.close(this, WebhookType.CONFIRM_PROMOTION, null, "promoting");
      requeue(AnalysisStateMachine.POLL);
      return;
    }
    if (Gates.has(spec, WebhookType.CONFIRM_PROMOTION)) {
      Gates.open(this, WebhookType.CONFIRM_PROMOTION, "promoting");
    }
    status.canaryWeight = weightOnPromotion;
    startPromotion(why);
  }

  /** A rollback webhook answered 2xx while the rollout waited or was analysed. */
  boolean rolledBackByWebhook() {
    String by = obs.hooks().rollbackBy();
    if (by == null) {
      return false;
    }
    rollback("RollbackWebhook", by + ": rollback asked from outside");
    return true;
  }

  boolean restartedOnNewRevision() {
    if (obs.targetHash().equals(status.lastAppliedSpec)) {
      return false;
    }
    startRevision("NewRevision", "new revision " + obs.targetHash() + " during " + status.phase + " at canary weight "
        + intOr0(status.canaryWeight) + ": analysis restarted at weight 0");
    return true;
  }

  boolean abortedByUser() {
    if (obs.action() != UserAction.ABORT) {
      return false;
    }
    rollback("Aborted", "aborted by plonk.dev/action=abort at canary weight " + intOr0(status.canaryWeight));
    return true;
  }

  void ignoredAction(String why) {
    events.add(DecisionEvent.warning("ActionIgnored", "plonk.dev/action=" + obs.action().name().toLowerCase()
        + " ignored: " + why));
  }

  /** The current phase started more than {@code progressDeadlineSeconds} ago. */
  boolean deadlinePassed() {
    return status.lastTransitionTime != null
        && obs.now().isAfter(Instant.parse(status.lastTransitionTime).plus(spec.progressDeadline()));
  }

  /**
   * A confirm-* gate closed for longer than {@code progressDeadlineSeconds} (counted from when it closed) rolls the
   * rollout back, with what it waited for: no phase waits forever. A manual approval that may take longer needs a
   * longer deadline.
   */
  boolean gateExpired() {
    Condition gate = Statuses.find(status, RolloutStatus.GATE);
    if (gate == null || !"False".equals(gate.getStatus())
        || !obs.now().isAfter(Instant.parse(gate.getLastTransitionTime()).plus(spec.progressDeadline()))) {
      return false;
    }
    rollback("ProgressDeadlineExceeded", "the " + gate.getReason() + " gate stayed closed for longer than "
        + "progressDeadlineSeconds=" + spec.progressDeadline().toSeconds() + ": " + gate.getMessage());
    return true;
  }

  /** Waits for something with the reason in the status; it cannot wait past the deadline (the caller checks it first). */
  void waitFor(String what, Readiness readiness) {
    status.message = "waiting for " + what + ": " + readiness.reason() + " (deadline " + deadlineAt() + ")";
    requeue(AnalysisStateMachine.POLL);
  }

  String deadlineAt() {
    return status.lastTransitionTime == null ? "unset"
        : Instant.parse(status.lastTransitionTime).plus(spec.progressDeadline()).toString();
  }

  void hold() {
    status.message = "paused at canary weight " + intOr0(status.canaryWeight) + " (spec.paused)";
    condition(RolloutStatus.ANALYSIS, false, "Paused", status.message);
    requeue(cadence.interval());
  }

  /**
   * Progressing with a canary that stopped being ready (a crash, an eviction, a failing probe), as Flagger checks before
   * every tick: the analysis holds at its weight, and rolls back if the canary is not ready again within the deadline,
   * counted from when it stopped.
   */
  void canaryNotReady() {
    Condition was = Statuses.find(status, RolloutStatus.CANARY_READY);
    boolean already = was != null && "False".equals(was.getStatus());
    condition(RolloutStatus.CANARY_READY, false, "NotReady", obs.target().reason());
    Instant deadline = Instant.parse(Statuses.find(status, RolloutStatus.CANARY_READY).getLastTransitionTime())
        .plus(spec.progressDeadline());
    if (obs.now().isAfter(deadline)) {
      rollback("ProgressDeadlineExceeded", "the canary was not ready again within progressDeadlineSeconds="
          + spec.progressDeadline().toSeconds() + ": " + obs.target().reason());
      return;
    }
    String text = "analysis held at canary weight " + intOr0(status.canaryWeight) + ": the canary is not ready: "
        + obs.target().reason() + " (deadline " + deadline + ")";
    if (already) {
      status.message = text;
    } else {
      event(DecisionEvent.warning("CanaryNotReady", text));
    }
    requeue(AnalysisStateMachine.POLL);
  }

  /** True (and the analysis resumes, said so) if the canary had stopped being ready during this analysis. */
  boolean canaryReadyAgain() {
    Condition was = Statuses.find(status, RolloutStatus.CANARY_READY);
    if (was == null || !"False".equals(was.getStatus())) {
      return false;
    }
    condition(RolloutStatus.CANARY_READY, true, "Ready", "ready again");
    event(DecisionEvent.normal("CanaryReadyAgain", "the canary is ready again at canary weight "
        + intOr0(status.canaryWeight) + ": the analysis goes on"));
    return true;
  }

  void canaryReady() {
    status.conditions.removeIf(c -> RolloutStatus.CANARY_READY.equals(c.getType()));
    enter(Phase.Progressing);
    status.lastAnalysisTime = obs.now().toString();
    String every = Durations.promql(cadence.interval());
    condition(RolloutStatus.ANALYSIS, true, "Started", "canary ready; first check in " + every);
    event(DecisionEvent.normal("CanaryReady", "canary revision " + status.lastAppliedSpec + " ready; analysis every "
        + every + ", threshold " + spec.analysis.thresholdOrDefault()));
    requeue(cadence.interval());
  }

  void startPromotion(String why) {
    enter(Phase.Promoting);
    promotePrimary = true;
    condition(RolloutStatus.ANALYSIS, true, "Passed", why);
    event(DecisionEvent.normal("Promoting", "promoting revision " + status.lastAppliedSpec + " to the primary: " + why));
    requeue(AnalysisStateMachine.POLL);
  }

  void finalising() {
    enter(Phase.Finalising);
    int was = intOr0(status.canaryWeight);
    status.canaryWeight = 0;
    event(DecisionEvent.normal("Finalising", "primary ready with revision " + status.lastAppliedSpec
        + "; routing 100/0 to the primary (canary weight was " + was + ") and scaling the canary to 0"));
    requeue(AnalysisStateMachine.POLL);
  }

  void succeed() {
    enter(Phase.Succeeded);
    status.canaryWeight = 0;
    status.lastPromotedSpec = status.lastAppliedSpec;
    condition(RolloutStatus.PROMOTED, true, "Succeeded", "revision " + status.lastAppliedSpec + " promoted");
    condition(RolloutStatus.READY, true, "Succeeded", "revision " + status.lastAppliedSpec + " serves 100% of traffic");
    event(DecisionEvent.normal("Succeeded", "revision " + status.lastAppliedSpec + " promoted after "
        + intOr0(status.failedChecks) + " failed checks" + strategy.succeededDetail(status)));
  }

  void rollback(String reason, String message) {
    int was = intOr0(status.canaryWeight);
    enter(Phase.Failed);
    status.canaryWeight = 0;
    String text = "rolled back revision " + status.lastAppliedSpec + " from canary weight " + was + ": " + message;
    condition(RolloutStatus.READY, false, reason, text);
    condition(RolloutStatus.PROMOTED, false, reason, text);
    condition(RolloutStatus.ANALYSIS, false, reason, message);
    event(DecisionEvent.warning("RolledBack", text));
  }
}
