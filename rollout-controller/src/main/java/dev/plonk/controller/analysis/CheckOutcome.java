package dev.plonk.controller.analysis;

import dev.plonk.controller.analysis.compare.Comparison;
import dev.plonk.controller.analysis.compare.Verdict;

/**
 * The result of one metric check. {@code value} is null when there was no usable number (no data, NaN, error,
 * Prometheus unreachable); such a check never passes. {@code detail} names the query and the value or error.
 * {@code comparison} is set for a {@code comparison: primary} check that got its counts: it passes only when the canary
 * is shown no worse, and it is a failure only when shown worse (then the rollout rolls back at once).
 */
public record CheckOutcome(String metric, Double value, String thresholdRange, boolean passed, String detail,
    Comparison comparison) {
  public static CheckOutcome measured(String metric, double value, dev.plonk.api.v1alpha1.ThresholdRange range) {
    boolean ok = range.contains(value);
    return new CheckOutcome(metric, value, range.toString(), ok,
        metric + " = " + format(value) + (ok ? " within " : " outside ") + range, null);
  }

  public static CheckOutcome failed(String metric, dev.plonk.api.v1alpha1.ThresholdRange range, String reason) {
    return new CheckOutcome(metric, null, range == null ? null : range.toString(), false, metric + ": " + reason, null);
  }

  /** A canary-vs-primary comparison; {@code value} is the compared quantity in percent (points). */
  public static CheckOutcome compared(String metric, Comparison c) {
    return new CheckOutcome(metric, c.estimate() * 100, null, c.verdict() == Verdict.NO_WORSE,
        metric + ": " + c.summary(), c);
  }

  /** Counts towards {@code threshold}: a fixed check out of range, or any check without a usable answer. */
  public boolean countsAsFailure() {
    return !passed && comparison == null;
  }

  public boolean verdict(Verdict v) {
    return comparison != null && comparison.verdict() == v;
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.3f", v);
  }
}
