package dev.plonk.mesh.metrics;

import java.time.Duration;

/** Renders the built-in checks as PromQL for one source of metrics; it never runs them. */
public interface MetricsObserver {
  /** Percent of non-failed requests to the canary over {@code interval}. */
  String successRate(MetricTarget target, Duration interval);

  /** 99th percentile latency of the canary in milliseconds over {@code interval}. */
  String requestDurationP99(MetricTarget target, Duration interval);

  /** The label and values that tell the canary from the primary in the three queries below. */
  VersionSeries versions(MetricTarget target);

  /** Requests of each version over {@code window} as a count ({@code increase}, not a rate), one sample per version. */
  String requestIncrease(MetricTarget target, Duration window);

  /** Failed requests of each version over {@code window} as a count, one sample per version. */
  String errorIncrease(MetricTarget target, Duration window);

  /** The latency histogram's cumulative bucket counts of each version over {@code window}, by version and {@code le}. */
  String latencyBucketIncrease(MetricTarget target, Duration window);
}
