package dev.plonk.controller.analysis;

import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import java.util.List;

/** How a strategy moves traffic after a passing tick; the state machine never branches on the strategy itself. */
interface RolloutStrategy {

  static RolloutStrategy of(RolloutSpec spec) {
    return switch (spec.strategyOrDefault()) {
      case CANARY -> CanaryStrategy.INSTANCE;
      case BLUE_GREEN -> BlueGreenStrategy.INSTANCE;
    };
  }

  /** Whether a tick at this status judges metric checks (false: it only moves the weight). */
  boolean checksAt(RolloutStatus status);

  /** A tick passed (or needed no checks): move the weight, count an iteration, or start the promotion. */
  void advance(Step step, String why, List<CheckOutcome> checks);

  /** The canary weight while the primary is promoted. */
  int promotionWeight(RolloutStatus status);

  /** What the Succeeded event adds about this strategy's analysis, e.g. " and 3 iterations". */
  String succeededDetail(RolloutStatus status);
}
