package dev.plonk.controller.analysis;

/**
 * The result of one metric check. {@code value} is null when there was no usable number (no data, NaN, error,
 * Prometheus unreachable); such a check never passes. {@code detail} names the query and the value or error.
 */
public record CheckOutcome(String metric, Double value, String thresholdRange, boolean passed, String detail) {
  public static CheckOutcome measured(String metric, double value, dev.plonk.api.v1alpha1.ThresholdRange range) {
    boolean ok = range.contains(value);
    return new CheckOutcome(metric, value, range.toString(), ok,
        metric + " = " + format(value) + (ok ? " within " : " outside ") + range);
  }

  public static CheckOutcome failed(String metric, dev.plonk.api.v1alpha1.ThresholdRange range, String reason) {
    return new CheckOutcome(metric, null, range.toString(), false, metric + ": " + reason);
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.3f", v);
  }
}
