package dev.plonk.controller.analysis;

import static dev.plonk.controller.analysis.Statuses.intOr0;

import dev.plonk.api.v1alpha1.AnalysisResult;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** One analysis interval of a Progressing rollout: judge the checks, then step, count a failure, or promote. */
final class AnalysisTick {
  private final Step step;
  private final RolloutStatus status;

  AnalysisTick(Step step) {
    this.step = step;
    this.status = step.status;
  }

  void run() {
    status.lastAnalysisTime = step.obs.now().toString();
    step.requeue(AnalysisStateMachine.interval(step.spec));
    boolean canary = step.spec.strategyOrDefault() == Strategy.CANARY;
    if (canary && intOr0(status.canaryWeight) == 0) {
      stepWeight("first step, no traffic to check yet");
      return;
    }
    List<CheckOutcome> checks = step.obs.checks() == null ? List.of() : step.obs.checks();
    record(checks);
    List<CheckOutcome> failed = checks.stream().filter(c -> !c.passed()).toList();
    if (!failed.isEmpty()) {
      fail(failed);
    } else if (canary) {
      stepWeight(summary(checks));
    } else {
      iterate(checks);
    }
  }

  private void record(List<CheckOutcome> checks) {
    List<AnalysisResult> results = new ArrayList<>();
    for (CheckOutcome c : checks) {
      results.add(new AnalysisResult(c.metric(), c.value(), c.thresholdRange(), c.passed(), step.obs.now().toString(),
          c.detail()));
    }
    status.lastAnalysis = results;
  }

  private void fail(List<CheckOutcome> failed) {
    int count = intOr0(status.failedChecks) + 1;
    status.failedChecks = count;
    int threshold = step.spec.analysis.threshold == null ? 5 : step.spec.analysis.threshold;
    String details = failed.stream().map(CheckOutcome::detail).collect(Collectors.joining("; "));
    if (count >= threshold) {
      step.rollback("ThresholdReached", count + "/" + threshold + " failed checks, last: " + details);
      return;
    }
    step.condition(RolloutStatus.ANALYSIS, false, "CheckFailed", "failed check " + count + "/" + threshold + ": " + details);
    step.event(DecisionEvent.warning("CheckFailed", "failed check " + count + "/" + threshold + " at canary weight "
        + intOr0(status.canaryWeight) + ": " + details));
  }

  private void stepWeight(String why) {
    int current = intOr0(status.canaryWeight);
    Integer next = step.spec.analysis.weights().stream().filter(w -> w > current).findFirst().orElse(null);
    if (next == null) {
      step.startPromotion("all checks passed at max weight " + current + ": " + why);
      return;
    }
    status.canaryWeight = next;
    step.condition(RolloutStatus.ANALYSIS, true, "CheckPassed", why);
    step.event(DecisionEvent.normal("WeightChanged", "canary weight " + current + " -> " + next + ": " + why));
  }

  private void iterate(List<CheckOutcome> checks) {
    int done = intOr0(status.iterations) + 1;
    status.iterations = done;
    int wanted = step.spec.analysis.iterations == null ? 5 : step.spec.analysis.iterations;
    if (done >= wanted) {
      status.canaryWeight = 100;
      step.startPromotion(done + "/" + wanted + " iterations passed: " + summary(checks)
          + "; routing 100% to the canary while the primary is promoted");
      return;
    }
    step.condition(RolloutStatus.ANALYSIS, true, "CheckPassed", summary(checks));
    step.event(DecisionEvent.normal("IterationPassed", "iteration " + done + "/" + wanted + " passed: " + summary(checks)));
  }

  private static String summary(List<CheckOutcome> checks) {
    return checks.isEmpty() ? "no metrics configured"
        : checks.stream().map(CheckOutcome::detail).collect(Collectors.joining("; "));
  }
}
