package dev.plonk.controller.load;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The generator's metrics, in the controller's registry: what it sent per Rollout, and whether it is running. */
public final class LoadMetrics {
  private final Counter requests;
  private final Gauge active;

  public LoadMetrics(PrometheusRegistry registry) {
    requests = Counter.builder().name("plonk_rollout_load_requests_total")
        .help("Requests generated for a rollout's canary, by outcome (2xx, 4xx, 5xx, error: no answer, skipped: at "
            + "the concurrency limit)")
        .labelNames("namespace", "name", "outcome").register(registry);
    active = Gauge.builder().name("plonk_rollout_load_active")
        .help("1 while a rollout's canary is loaded by the controller, 0 after").labelNames("namespace", "name")
        .register(registry);
  }

  void request(LoadPlan plan, String outcome) {
    requests.labelValues(plan.namespace(), plan.name(), outcome).inc();
  }

  void active(LoadPlan plan, boolean on) {
    active.labelValues(plan.namespace(), plan.name()).set(on ? 1 : 0);
  }
}
