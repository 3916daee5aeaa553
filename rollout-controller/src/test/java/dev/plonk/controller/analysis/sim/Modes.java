package dev.plonk.controller.analysis.sim;

import dev.plonk.api.v1alpha1.AnalysisSpec;
import dev.plonk.api.v1alpha1.MetricCheck;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.ServiceSpec;
import dev.plonk.api.v1alpha1.TargetRef;
import dev.plonk.api.v1alpha1.ThresholdRange;

/** The analysis configurations compared in one run: the same steps, fixed thresholds or comparison with the primary. */
final class Modes {
  private Modes() {}

  /** Flagger-like defaults: success rate >= 99% and p99 <= 500 ms per interval, rollback at 5 failed checks. */
  static RolloutSpec fixed(String interval, int stepWeight, int maxWeight) {
    RolloutSpec spec = base(interval, stepWeight, maxWeight);
    spec.analysis.metrics.add(new MetricCheck(MetricCheck.SUCCESS_RATE, new ThresholdRange(99.0, null)));
    spec.analysis.metrics.add(new MetricCheck(MetricCheck.DURATION, new ThresholdRange(null, 500.0)));
    return spec;
  }

  /** comparison: primary, error rate worse by at most {@code points}, p99 by at most 20%, at {@code confidence}%. */
  static RolloutSpec comparison(String interval, int stepWeight, int maxWeight, double points, double confidence) {
    RolloutSpec spec = base(interval, stepWeight, maxWeight);
    spec.analysis.metrics.add(MetricCheck.comparedWithPrimary(MetricCheck.SUCCESS_RATE, points, confidence));
    spec.analysis.metrics.add(MetricCheck.comparedWithPrimary(MetricCheck.DURATION, 20.0, confidence));
    return spec;
  }

  /** Both kinds in one Rollout: the error rate compared with the primary, the p99 against a fixed 500 ms. */
  static RolloutSpec mixed(String interval, int stepWeight, int maxWeight, double points, double confidence) {
    RolloutSpec spec = base(interval, stepWeight, maxWeight);
    spec.analysis.metrics.add(MetricCheck.comparedWithPrimary(MetricCheck.SUCCESS_RATE, points, confidence));
    spec.analysis.metrics.add(new MetricCheck(MetricCheck.DURATION, new ThresholdRange(null, 500.0)));
    return spec;
  }

  private static RolloutSpec base(String interval, int stepWeight, int maxWeight) {
    RolloutSpec spec = new RolloutSpec();
    spec.targetRef = new TargetRef("Deployment", "echo");
    spec.service = new ServiceSpec(8080);
    spec.analysis = new AnalysisSpec();
    spec.analysis.interval = interval;
    spec.analysis.threshold = 5;
    spec.analysis.stepWeight = stepWeight;
    spec.analysis.maxWeight = maxWeight;
    spec.progressDeadlineSeconds = 600;
    return spec;
  }
}
