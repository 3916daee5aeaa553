package dev.plonk.controller.analysis;

import dev.plonk.api.v1alpha1.AnalysisSpec;
import dev.plonk.api.v1alpha1.Durations;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.controller.analysis.compare.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** When a canary may skip its remaining steps: every comparison check says no worse, above the user's floors. */
final class EarlyPromotion {
  private EarlyPromotion() {}

  /** Null when early promotion is due; else why not (for a log or a test), or "" when no check compares. */
  static String blocker(AnalysisSpec analysis, RolloutStatus status, List<CheckOutcome> checks, Instant now) {
    List<CheckOutcome> compared = checks.stream().filter(c -> c.comparison() != null).toList();
    if (compared.isEmpty() || checks.stream().anyMatch(c -> !c.passed() && c.comparison() == null)) {
      return "";
    }
    if (!compared.stream().allMatch(c -> c.verdict(Verdict.NO_WORSE))) {
      return "not every comparison says no worse yet";
    }
    int weight = Statuses.intOr0(status.canaryWeight);
    if (analysis.minWeight != null && weight < analysis.minWeight) {
      return "canary weight " + weight + " is below minWeight " + analysis.minWeight;
    }
    if (analysis.minDuration != null) {
      Duration analysed = Duration.between(AnalysisWindow.start(status, now), now);
      if (analysed.compareTo(Durations.parse(analysis.minDuration)) < 0) {
        return "analysed for " + analysed.toSeconds() + "s, below minDuration " + analysis.minDuration;
      }
    }
    return null;
  }
}
