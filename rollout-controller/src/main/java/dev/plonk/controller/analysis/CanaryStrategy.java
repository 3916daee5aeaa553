package dev.plonk.controller.analysis;

import static dev.plonk.controller.analysis.Statuses.intOr0;

import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.WebhookType;
import dev.plonk.controller.analysis.compare.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Canary: the weight rises through {@code analysis.weights()} while every check passes, then the canary is promoted. */
final class CanaryStrategy implements RolloutStrategy {
  static final CanaryStrategy INSTANCE = new CanaryStrategy();

  private CanaryStrategy() {}

  /** At weight 0 the canary has no traffic to judge: the first tick only takes the first step. */
  @Override
  public boolean checksAt(RolloutStatus status) {
    return intOr0(status.canaryWeight) > 0;
  }

  /**
   * Promotes early when every comparison check says no worse (above minWeight/minDuration); else steps to the next
   * weight. At max weight an inconclusive comparison holds the canary, at most progressDeadlineSeconds from the start.
   */
  @Override
  public void advance(Step step, String why, List<CheckOutcome> checks) {
    RolloutStatus status = step.status;
    int current = intOr0(status.canaryWeight);
    if (EarlyPromotion.blocker(step.spec.analysis, status, checks, step.obs.now()) == null) {
      String evidence = checks.stream().filter(c -> c.comparison() != null).map(c -> c.comparison().summary())
          .collect(Collectors.joining("; "));
      step.event(DecisionEvent.normal("CanaryNoWorse", evidence + ": promoted early at canary weight " + current));
      step.promoteWhenConfirmed("canary no worse than the primary at weight " + current + ": " + why, current);
      return;
    }
    Integer next = step.spec.analysis.weights().stream().filter(w -> w > current).findFirst().orElse(null);
    boolean inconclusive = checks.stream().anyMatch(c -> c.verdict(Verdict.INCONCLUSIVE));
    Duration holdLeft = Duration.between(step.obs.now(),
        AnalysisWindow.start(status, step.obs.now()).plus(step.spec.progressDeadline()));
    if (next == null && inconclusive && !holdLeft.isNegative() && !holdLeft.isZero()) {
      step.condition(RolloutStatus.ANALYSIS, false, "Inconclusive", "holding at max weight " + current
          + " until the comparison decides (at most " + holdLeft.toSeconds() + "s more): " + why);
      step.event(DecisionEvent.normal("Holding", "holding at max weight " + current + ": " + why));
      return;
    }
    if (next == null) {
      step.promoteWhenConfirmed((inconclusive ? "no comparison verdict within progressDeadlineSeconds at max weight "
          + current + ", promoting on schedule, not on evidence" : "all checks passed at max weight " + current)
          + ": " + why, current);
      return;
    }
    if (!trafficIncreaseConfirmed(step, current, next)) {
      return;
    }
    status.canaryWeight = next;
    step.condition(RolloutStatus.ANALYSIS, true, inconclusive ? "Inconclusive" : "CheckPassed", why);
    step.event(DecisionEvent.normal("WeightChanged", "canary weight " + current + " -> " + next + ": " + why));
  }

  /** confirm-traffic-increase hooks, asked at this tick: a closed gate holds the weight until a later tick. */
  private static boolean trafficIncreaseConfirmed(Step step, int current, int next) {
    if (!Gates.has(step.spec, WebhookType.CONFIRM_TRAFFIC_INCREASE)) {
      return true;
    }
    var gate = step.obs.hooks().confirmTrafficIncrease();
    String what = "canary weight " + current + " -> " + next;
    if (gate.open()) {
      Gates.open(step, WebhookType.CONFIRM_TRAFFIC_INCREASE, what);
      return true;
    }
    Gates.close(step, WebhookType.CONFIRM_TRAFFIC_INCREASE, gate.waitingFor(), what);
    if (step.gateExpired()) {
      return false;
    }
    step.events.add(DecisionEvent.normal("Halted", "checks passed at canary weight " + current + "; "
        + step.status.message));
    return false;
  }

  @Override
  public int promotionWeight(RolloutStatus status) {
    return intOr0(status.canaryWeight);
  }

  @Override
  public String succeededDetail(RolloutStatus status) {
    return "";
  }
}
