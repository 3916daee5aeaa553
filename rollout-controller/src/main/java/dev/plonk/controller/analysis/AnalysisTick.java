package dev.plonk.controller.analysis;

import static dev.plonk.controller.analysis.Statuses.intOr0;

import dev.plonk.api.v1alpha1.AnalysisResult;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.controller.analysis.compare.ComparisonStatus;
import dev.plonk.controller.analysis.compare.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One analysis interval of a Progressing rollout: judge the checks, then roll back on evidence, count a failure, or
 * let the strategy advance (step, iterate, promote).
 */
final class AnalysisTick {
  private final Step step;
  private final RolloutStatus status;

  AnalysisTick(Step step) {
    this.step = step;
    this.status = step.status;
  }

  void run() {
    status.lastAnalysisTime = step.obs.now().toString();
    step.requeue(step.cadence.interval());
    List<CheckOutcome> hooks = step.obs.hooks().tick();
    if (!step.strategy.checksAt(status)) {
      if (!hooks.isEmpty()) {
        record(hooks);
      }
      List<CheckOutcome> failedHooks = hooks.stream().filter(CheckOutcome::countsAsFailure).toList();
      if (!failedHooks.isEmpty()) {
        fail(failedHooks);
      } else {
        step.strategy.advance(step, "first step, no traffic to check yet"
            + (hooks.isEmpty() ? "" : "; " + summary(hooks)), List.of());
      }
      return;
    }
    List<CheckOutcome> checks = judged(hooks);
    if (passed(checks)) {
      step.strategy.advance(step, summary(checks), checks);
    }
  }

  /**
   * A tick in WaitingPromotion: the analysis already passed, the promotion waits for its confirm-promotion hooks, and
   * the checks and rollout hooks keep running: a failure counts (and rolls back at the threshold), a pass holds.
   */
  void runWhileHeld() {
    status.lastAnalysisTime = step.obs.now().toString();
    step.requeue(step.cadence.interval());
    List<CheckOutcome> checks = judged(step.obs.hooks().tick());
    if (passed(checks)) {
      step.condition(RolloutStatus.ANALYSIS, true, "CheckPassed", summary(checks));
    }
  }

  /** Rolls back on evidence that the canary is worse, or counts a failure; true when every check passed. */
  private boolean passed(List<CheckOutcome> checks) {
    List<CheckOutcome> worse = checks.stream().filter(c -> c.verdict(Verdict.WORSE)).toList();
    List<CheckOutcome> failed = checks.stream().filter(CheckOutcome::countsAsFailure).toList();
    if (!worse.isEmpty()) {
      rollBackEarly(worse);
      return false;
    }
    if (!failed.isEmpty()) {
      fail(failed);
      return false;
    }
    return true;
  }

  /** This tick's hook outcomes (first, as Flagger runs them before the metrics) and metric checks, recorded. */
  private List<CheckOutcome> judged(List<CheckOutcome> hooks) {
    List<CheckOutcome> checks = new ArrayList<>(hooks);
    checks.addAll(step.obs.checks() == null ? List.of() : step.obs.checks());
    record(checks);
    return checks;
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

  private void fail(List<CheckOutcome> failed) {
    int count = intOr0(status.failedChecks) + 1;
    status.failedChecks = count;
    int threshold = step.spec.analysis.thresholdOrDefault();
    String details = failed.stream().map(CheckOutcome::detail).collect(Collectors.joining("; "));
    if (count >= threshold) {
      step.rollback("ThresholdReached", count + "/" + threshold + " failed checks, last: " + details);
      return;
    }
    step.condition(RolloutStatus.ANALYSIS, false, "CheckFailed", "failed check " + count + "/" + threshold + ": " + details);
    step.event(DecisionEvent.warning("CheckFailed", "failed check " + count + "/" + threshold + " at canary weight "
        + intOr0(status.canaryWeight) + ": " + details));
  }

  static String summary(List<CheckOutcome> checks) {
    return checks.isEmpty() ? "no metrics configured"
        : checks.stream().map(CheckOutcome::detail).collect(Collectors.joining("; "));
  }
}
