package dev.plonk.mesh.metrics;

/** A query gave no usable number: no data, NaN, a PromQL error, or an unreachable Prometheus. The message says which. */
public final class MetricQueryException extends Exception {
  public MetricQueryException(String message) {
    super(message);
  }

  public MetricQueryException(String message, Throwable cause) {
    super(message, cause);
  }
}
