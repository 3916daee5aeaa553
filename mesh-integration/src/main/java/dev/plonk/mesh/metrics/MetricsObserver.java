package dev.plonk.mesh.metrics;

import java.time.Duration;

/** Renders the built-in checks as PromQL for one source of metrics; it never runs them. */
public interface MetricsObserver {
  /** Percent of non-failed requests to the canary over {@code interval}. */
  String successRate(MetricTarget target, Duration interval);

  /** 99th percentile latency of the canary in milliseconds over {@code interval}. */
  String requestDurationP99(MetricTarget target, Duration interval);
}
