package dev.plonk.controller.analysis;

import static dev.plonk.controller.analysis.Statuses.intOr0;

import dev.plonk.api.v1alpha1.RolloutStatus;
import java.util.List;

/** Blue/green: the canary is checked at weight 0 for {@code analysis.iterations} ticks, then takes all traffic at once. */
final class BlueGreenStrategy implements RolloutStrategy {
  static final BlueGreenStrategy INSTANCE = new BlueGreenStrategy();

  private BlueGreenStrategy() {}

  @Override
  public boolean checksAt(RolloutStatus status) {
    return true;
  }

  @Override
  public void advance(Step step, String why, List<CheckOutcome> checks) {
    RolloutStatus status = step.status;
    int done = intOr0(status.iterations) + 1;
    status.iterations = done;
    int wanted = step.spec.analysis.iterationsOrDefault();
    if (done >= wanted) {
      step.promoteWhenConfirmed(done + "/" + wanted + " iterations passed: " + why
          + "; routing 100% to the canary while the primary is promoted", promotionWeight(status));
      return;
    }
    step.condition(RolloutStatus.ANALYSIS, true, "CheckPassed", why);
    step.event(DecisionEvent.normal("IterationPassed", "iteration " + done + "/" + wanted + " passed: " + why));
  }

  /** The canary takes all traffic while the primary is promoted. */
  @Override
  public int promotionWeight(RolloutStatus status) {
    return 100;
  }

  @Override
  public String succeededDetail(RolloutStatus status) {
    return " and " + intOr0(status.iterations) + " iterations";
  }
}
