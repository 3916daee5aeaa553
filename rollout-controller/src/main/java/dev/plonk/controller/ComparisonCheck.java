package dev.plonk.controller;

import dev.plonk.api.v1alpha1.MetricCheck;
import dev.plonk.controller.analysis.CheckOutcome;
import dev.plonk.controller.analysis.compare.Counts;
import dev.plonk.controller.analysis.compare.ErrorRateComparison;
import dev.plonk.controller.analysis.compare.Histogram;
import dev.plonk.controller.analysis.compare.LatencyComparison;
import dev.plonk.mesh.metrics.MetricQueryException;
import dev.plonk.mesh.metrics.MetricTarget;
import dev.plonk.mesh.metrics.MetricsObserver;
import dev.plonk.mesh.metrics.MetricsProvider;
import dev.plonk.mesh.metrics.Sample;
import dev.plonk.mesh.metrics.VersionSeries;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs a {@code comparison: primary} check: both versions' counts from Prometheus, then the pure comparison. */
final class ComparisonCheck {
  private final MetricsObserver observer;
  private final MetricsProvider provider;

  ComparisonCheck(MetricsObserver observer, MetricsProvider provider) {
    this.observer = observer;
    this.provider = provider;
  }

  CheckOutcome run(MetricCheck check, MetricTarget target, Duration window) {
    VersionSeries versions = observer.versions(target);
    try {
      if (MetricCheck.SUCCESS_RATE.equals(check.name)) {
        Map<String, Double> requests = byVersion(provider.vector(observer.requestIncrease(target, window)), versions);
        Map<String, Double> errors = byVersion(provider.vector(observer.errorIncrease(target, window)), versions);
        Counts canary = Counts.ofIncreases(requests.getOrDefault(versions.canary(), 0.0),
            errors.getOrDefault(versions.canary(), 0.0));
        Counts primary = Counts.ofIncreases(requests.getOrDefault(versions.primary(), 0.0),
            errors.getOrDefault(versions.primary(), 0.0));
        return CheckOutcome.compared(check.name, new ErrorRateComparison(check.tolerance / 100,
            check.confidenceOrDefault()).compare(canary, primary));
      }
      List<Sample> buckets = provider.vector(observer.latencyBucketIncrease(target, window));
      return CheckOutcome.compared(check.name, new LatencyComparison(check.tolerance / 100, check.confidenceOrDefault())
          .compare(histogram(buckets, versions, versions.canary()), histogram(buckets, versions, versions.primary())));
    } catch (MetricQueryException e) {
      return CheckOutcome.failed(check.name, null, e.getMessage());
    }
  }

  private static Map<String, Double> byVersion(List<Sample> samples, VersionSeries versions) {
    Map<String, Double> out = new HashMap<>();
    for (Sample s : samples) {
      String version = s.label(versions.label());
      if (version != null) {
        out.merge(version, s.value(), Double::sum);
      }
    }
    return out;
  }

  static Histogram histogram(List<Sample> samples, VersionSeries versions, String version) {
    Map<Double, Double> byLe = new HashMap<>();
    for (Sample s : samples) {
      String le = s.label("le");
      if (version.equals(s.label(versions.label())) && le != null) {
        byLe.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value(), Double::sum);
      }
    }
    return Histogram.ofIncreases(byLe, versions.leToMillis());
  }
}
