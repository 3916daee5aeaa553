package dev.plonk.mesh.metrics;

/** Runs PromQL somewhere. */
public interface MetricsProvider {
  /** The value of the first sample of the result; anything else (no data, NaN, an error) is an exception. */
  double query(String promql) throws MetricQueryException;

  /** Every sample of an instant vector; empty when no series matched (for a count: nothing happened). */
  java.util.List<Sample> vector(String promql) throws MetricQueryException;
}
