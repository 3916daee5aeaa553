package dev.plonk.mesh.metrics;

import dev.plonk.api.v1alpha1.Durations;
import dev.plonk.mesh.BackendNames;
import java.time.Duration;

/** The Plonk gateway's per-backend series: {@code plonk_gateway_backend_requests_total} and its duration histogram. */
public final class GatewayObserver implements MetricsObserver {
  @Override
  public String successRate(MetricTarget t, Duration interval) {
    String sel = selector(t);
    String range = Durations.promql(interval);
    return "sum(rate(plonk_gateway_backend_requests_total{" + sel + ",code!~\"5..\"}[" + range + "]))"
        + " / sum(rate(plonk_gateway_backend_requests_total{" + sel + "}[" + range + "])) * 100";
  }

  @Override
  public String requestDurationP99(MetricTarget t, Duration interval) {
    return "histogram_quantile(0.99, sum(rate(plonk_gateway_backend_request_duration_seconds_bucket{" + selector(t)
        + "}[" + Durations.promql(interval) + "])) by (le)) * 1000";
  }

  @Override
  public VersionSeries versions(MetricTarget t) {
    return new VersionSeries("backend", t.canary(), t.primary(), 1000);
  }

  @Override
  public String requestIncrease(MetricTarget t, Duration window) {
    return "sum by (backend) (increase(plonk_gateway_backend_requests_total{" + bothSelector(t) + "}["
        + Durations.promql(window) + "]))";
  }

  @Override
  public String errorIncrease(MetricTarget t, Duration window) {
    return "sum by (backend) (increase(plonk_gateway_backend_requests_total{" + bothSelector(t) + ",code=~\"5..\"}["
        + Durations.promql(window) + "]))";
  }

  @Override
  public String latencyBucketIncrease(MetricTarget t, Duration window) {
    return "sum by (backend, le) (increase(plonk_gateway_backend_request_duration_seconds_bucket{" + bothSelector(t)
        + "}[" + Durations.promql(window) + "]))";
  }

  private static String bothSelector(MetricTarget t) {
    return "namespace=\"" + t.namespace() + "\",function=\"" + t.apex() + "\",backend=~\"" + t.canary() + "|"
        + t.primary() + "\"";
  }

  private static String selector(MetricTarget t) {
    return "namespace=\"" + t.namespace() + "\",function=\"" + t.apex() + "\"," + BackendNames.METRIC_LABEL + "=\""
        + t.canary() + "\"";
  }
}
