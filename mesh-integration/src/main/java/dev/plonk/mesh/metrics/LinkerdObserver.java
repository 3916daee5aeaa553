package dev.plonk.mesh.metrics;

import dev.plonk.api.v1alpha1.Durations;
import java.time.Duration;

/** Linkerd proxy metrics of the canary Deployment's inbound traffic, as Flagger queries them. */
public final class LinkerdObserver implements MetricsObserver {
  @Override
  public String successRate(MetricTarget t, Duration interval) {
    String sel = selector(t);
    String range = Durations.promql(interval);
    return "sum(rate(response_total{" + sel + ",classification!=\"failure\",direction=\"inbound\"}[" + range + "]))"
        + " / sum(rate(response_total{" + sel + ",direction=\"inbound\"}[" + range + "])) * 100";
  }

  @Override
  public String requestDurationP99(MetricTarget t, Duration interval) {
    return "histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{" + selector(t) + ",direction=\"inbound\"}["
        + Durations.promql(interval) + "])) by (le))";
  }

  @Override
  public VersionSeries versions(MetricTarget t) {
    return new VersionSeries("deployment", t.target(), t.primaryDeployment(), 1);
  }

  @Override
  public String requestIncrease(MetricTarget t, Duration window) {
    return "sum by (deployment) (increase(response_total{" + bothSelector(t) + ",direction=\"inbound\"}["
        + Durations.promql(window) + "]))";
  }

  @Override
  public String errorIncrease(MetricTarget t, Duration window) {
    return "sum by (deployment) (increase(response_total{" + bothSelector(t)
        + ",classification=\"failure\",direction=\"inbound\"}[" + Durations.promql(window) + "]))";
  }

  @Override
  public String latencyBucketIncrease(MetricTarget t, Duration window) {
    return "sum by (deployment, le) (increase(response_latency_ms_bucket{" + bothSelector(t)
        + ",direction=\"inbound\"}[" + Durations.promql(window) + "]))";
  }

  private static String bothSelector(MetricTarget t) {
    return "namespace=\"" + t.namespace() + "\",deployment=~\"" + t.target() + "|" + t.primaryDeployment() + "\"";
  }

  private static String selector(MetricTarget t) {
    return "namespace=\"" + t.namespace() + "\",deployment=~\"" + t.target() + "\"";
  }
}
