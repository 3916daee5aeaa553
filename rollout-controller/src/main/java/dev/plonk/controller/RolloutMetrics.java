package dev.plonk.controller;

import dev.plonk.api.v1alpha1.AnalysisResult;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The controller's own metrics, registered in a registry the caller owns (served on {@code /metrics}). */
public final class RolloutMetrics {
  private final Gauge status;
  private final Gauge weight;
  private final Gauge failedChecks;
  private final Gauge analysisValue;
  private final Histogram duration;
  private final Counter total;
  private final Histogram tickToWeight;

  public RolloutMetrics(PrometheusRegistry registry) {
    status = Gauge.builder().name("plonk_rollout_status").help("1 for the phase a rollout is in, 0 for the others")
        .labelNames("namespace", "name", "phase").register(registry);
    weight = Gauge.builder().name("plonk_rollout_weight").help("Percent of traffic routed to the canary")
        .labelNames("namespace", "name").register(registry);
    failedChecks = Gauge.builder().name("plonk_rollout_failed_checks").help("Failed checks of the current revision")
        .labelNames("namespace", "name").register(registry);
    analysisValue = Gauge.builder().name("plonk_rollout_analysis_value").help("Last value of each metric check (NaN: no data)")
        .labelNames("namespace", "name", "metric").register(registry);
    duration = Histogram.builder().name("plonk_rollout_duration_seconds")
        .help("Time from a new revision to its promotion or rollback").labelNames("result")
        .classicUpperBounds(10, 30, 60, 120, 300, 600, 1200, 3600).register(registry);
    total = Counter.builder().name("plonk_rollout_total").help("Finished rollouts by result (succeeded, failed)")
        .labelNames("result").register(registry);
    tickToWeight = Histogram.builder().name("plonk_rollout_tick_to_weight_seconds")
        .help("From the moment an analysis tick was due to the new weight written to the router")
        .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).register(registry);
  }

  public void tickToWeight(double seconds) {
    tickToWeight.observe(seconds);
  }

  public void observe(String namespace, String name, RolloutStatus s) {
    for (Phase p : Phase.values()) {
      status.labelValues(namespace, name, p.name()).set(p == s.phase ? 1 : 0);
    }
    weight.labelValues(namespace, name).set(s.canaryWeight == null ? 0 : s.canaryWeight);
    failedChecks.labelValues(namespace, name).set(s.failedChecks == null ? 0 : s.failedChecks);
    for (AnalysisResult r : s.lastAnalysis) {
      analysisValue.labelValues(namespace, name, r.metric).set(r.value == null ? Double.NaN : r.value);
    }
  }

  public void finished(boolean succeeded, double seconds) {
    String result = succeeded ? "succeeded" : "failed";
    total.labelValues(result).inc();
    duration.labelValues(result).observe(seconds);
  }

  public void forget(String namespace, String name) {
    for (Phase p : Phase.values()) {
      status.remove(namespace, name, p.name());
    }
    weight.remove(namespace, name);
    failedChecks.remove(namespace, name);
  }
}
