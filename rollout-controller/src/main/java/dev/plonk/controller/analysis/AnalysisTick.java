package dev.plonk.controller.analysis;

import static dev.plonk.controller.analysis.Statuses.intOr0;

import dev.plonk.api.v1alpha1.AnalysisResult;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.Strategy;
import dev.plonk.controller.analysis.compare.ComparisonStatus;
import dev.plonk.controller.analysis.compare.Verdict;
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
    List<CheckOutcome> worse = checks.stream().filter(c -> c.verdict(Verdict.WORSE)).toList();
    List<CheckOutcome> failed = checks.stream().filter(CheckOutcome::countsAsFailure).toList();
    if (!worse.isEmpty()) {
      rollBackEarly(worse);
    } else if (!failed.isEmpty()) {
      fail(failed);
    } else if (canary && EarlyPromotion.blocker(step.spec.analysis, status, checks, step.obs.now()) == null) {
      promoteEarly(checks);
    } else if (canary) {
      stepWeight(summary(checks));
    } else {
      iterate(checks);
    }
  }

  private void record(List<CheckOutcome> checks) {
    List<AnalysisResult> results = new ArrayList<>();
    for (CheckOutcome c : checks) {
      AnalysisResult r = new AnalysisResult(c.metric(), c.value(), c.thresholdRange(), c.passed(),
          step.obs.now().toString(), c.detail());
      r.comparison = c.comparison() == null ? null : ComparisonStatus.of(c.comparison());
      results.add(r);
    }
    status.lastAnalysis = results;
  }

  private void rollBackEarly(List<CheckOutcome> worse) {
    String evidence = worse.stream().map(c -> c.comparison().summary()).collect(Collectors.joining("; "));
    step.event(DecisionEvent.warning("CanaryWorse", evidence + ": rolled back"));
    step.rollback("CanaryWorse", evidence);
  }

  private void promoteEarly(List<CheckOutcome> checks) {
    int weight = intOr0(status.canaryWeight);
    String evidence = checks.stream().filter(c -> c.comparison() != null).map(c -> c.comparison().summary())
        .collect(Collectors.joining("; "));
    step.event(DecisionEvent.normal("CanaryNoWorse", evidence + ": promoted early at canary weight " + weight));
    step.startPromotion("canary no worse than the primary at weight " + weight + ": " + summary(checks));
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
    boolean inconclusive = step.obs.checks() != null && step.obs.checks().stream()
        .anyMatch(c -> c.verdict(Verdict.INCONCLUSIVE));
    if (next == null && inconclusive && !holdLeft().isNegative() && !holdLeft().isZero()) {
      step.condition(RolloutStatus.ANALYSIS, false, "Inconclusive", "holding at max weight " + current
          + " until the comparison decides (at most " + holdLeft().toSeconds() + "s more): " + why);
      step.event(DecisionEvent.normal("Holding", "holding at max weight " + current + ": " + why));
      return;
    }
    if (next == null) {
      step.startPromotion((inconclusive ? "no comparison verdict within progressDeadlineSeconds at max weight "
          + current + ", promoting on schedule, not on evidence" : "all checks passed at max weight " + current)
          + ": " + why);
      return;
    }
    status.canaryWeight = next;
    step.condition(RolloutStatus.ANALYSIS, true, inconclusive ? "Inconclusive" : "CheckPassed", why);
    step.event(DecisionEvent.normal("WeightChanged", "canary weight " + current + " -> " + next + ": " + why));
  }

  /** How much longer an inconclusive comparison may hold the canary at max weight: progressDeadlineSeconds from the start. */
  private java.time.Duration holdLeft() {
    int seconds = step.spec.progressDeadlineSeconds == null ? 600 : step.spec.progressDeadlineSeconds;
    return java.time.Duration.between(step.obs.now(),
        AnalysisWindow.start(status, step.obs.now()).plusSeconds(seconds));
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
