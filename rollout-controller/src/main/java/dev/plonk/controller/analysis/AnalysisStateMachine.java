package dev.plonk.controller.analysis;

import dev.plonk.api.v1alpha1.Durations;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.Strategy;
import java.time.Duration;
import java.time.Instant;

/**
 * The rollout state machine: pure functions from (spec, status, observation) to the next status and what to do.
 * No I/O. Follows Flagger: Initializing → Initialized → (new revision) Waiting → Progressing → Promoting → Finalising
 * → Succeeded, or Failed on rollback.
 */
public final class AnalysisStateMachine {
  static final Duration POLL = Duration.ofSeconds(1);

  /** True when a Progressing rollout is due for an analysis tick now (not paused, interval elapsed). */
  public static boolean analysisDue(RolloutSpec spec, RolloutStatus status, Instant now) {
    if (status == null || status.phase != Phase.Progressing || spec.pausedOrFalse() || spec.skipAnalysisOrFalse()) {
      return false;
    }
    return untilNextTick(spec, status, now).isZero();
  }

  /** True when the tick due now must run the metric checks (a canary at weight 0 just takes its first step). */
  public static boolean checksNeeded(RolloutSpec spec, RolloutStatus status, Instant now) {
    return analysisDue(spec, status, now) && !(spec.strategyOrDefault() == Strategy.CANARY
        && Statuses.intOr0(status.canaryWeight) == 0);
  }

  static Duration untilNextTick(RolloutSpec spec, RolloutStatus status, Instant now) {
    if (status.lastAnalysisTime == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(now, Instant.parse(status.lastAnalysisTime).plus(interval(spec)));
    return left.isNegative() ? Duration.ZERO : left;
  }

  static Duration interval(RolloutSpec spec) {
    return Durations.parse(spec.analysis.interval == null ? "30s" : spec.analysis.interval);
  }

  public Decision next(RolloutSpec spec, RolloutStatus current, long generation, Observation obs) {
    Step step = new Step(spec, current, generation, obs);
    Phase phase = step.status.phase == null ? Phase.Initializing : step.status.phase;
    step.status.phase = phase;
    switch (phase) {
      case Initializing -> initializing(step);
      case Initialized, Succeeded, Failed -> steady(step);
      case Waiting -> waiting(step);
      case Progressing -> progressing(step);
      case Promoting -> promoting(step);
      case Finalising -> step.succeed();
      default -> throw new IllegalStateException("unknown phase " + phase);
    }
    return step.decision();
  }

  private void initializing(Step step) {
    Observation obs = step.obs;
    if (obs.primaryHash() != null && obs.primaryReady()) {
      step.initialized();
    } else {
      step.status.message = "waiting for the primary Deployment to be ready";
      step.requeue(POLL);
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
    if (step.restartedOnNewRevision() || step.abortedByUser()) {
      return;
    }
    if (step.spec.pausedOrFalse()) {
      step.hold();
    } else if (step.obs.targetReady()) {
      step.canaryReady();
    } else if (step.deadlinePassed()) {
      step.rollback("ProgressDeadlineExceeded", "the canary was not ready within progressDeadlineSeconds="
          + step.spec.progressDeadlineSeconds);
    } else {
      step.status.message = "waiting for the canary Deployment to be ready";
      step.requeue(POLL);
    }
  }

  private void progressing(Step step) {
    if (step.restartedOnNewRevision() || step.abortedByUser()) {
      return;
    }
    if (step.obs.action() == UserAction.PROMOTE) {
      step.startPromotion("promotion asked by plonk.dev/action=promote at canary weight "
          + Statuses.intOr0(step.status.canaryWeight));
    } else if (step.spec.skipAnalysisOrFalse()) {
      step.startPromotion("skipAnalysis is set");
    } else if (step.spec.pausedOrFalse()) {
      step.hold();
    } else if (!analysisDue(step.spec, step.status, step.obs.now())) {
      step.requeue(untilNextTick(step.spec, step.status, step.obs.now()));
    } else {
      new AnalysisTick(step).run();
    }
  }

  private void promoting(Step step) {
    if (step.obs.action() == UserAction.ABORT || step.obs.action() == UserAction.PROMOTE) {
      step.ignoredAction("the promotion is already under way");
    }
    if (!step.status.lastAppliedSpec.equals(step.obs.primaryHash())) {
      step.promotePrimary = true;
      step.status.message = "copying revision " + step.status.lastAppliedSpec + " into the primary";
      step.requeue(POLL);
    } else if (step.obs.primaryReady()) {
      step.finalising();
    } else {
      step.status.message = "waiting for the promoted primary to be ready";
      step.requeue(POLL);
    }
  }
}
