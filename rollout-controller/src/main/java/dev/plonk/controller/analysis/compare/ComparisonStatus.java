package dev.plonk.controller.analysis.compare;

import dev.plonk.api.v1alpha1.ComparisonResult;

/** Writes a {@link Comparison} into the status form users read: percentages and percentage points. */
public final class ComparisonStatus {
  private ComparisonStatus() {}

  public static ComparisonResult of(Comparison c) {
    ComparisonResult r = new ComparisonResult();
    r.verdict = c.verdict().text();
    r.canary = new ComparisonResult.VersionSample(c.canary().samples(), c.canary().events(), c.canary().estimate());
    r.primary = new ComparisonResult.VersionSample(c.primary().samples(), c.primary().events(), c.primary().estimate());
    boolean errors = c.quantity().startsWith("error");
    r.quantity = c.quantity() + (errors ? " (percentage points)" : " (percent)");
    r.estimate = round(c.estimate() * 100);
    r.lower = round(c.lower() * 100);
    r.upper = round(c.upper() * 100);
    r.boundary = round(c.boundary() * 100);
    r.statistic = Double.isFinite(c.statistic()) ? round(c.statistic()) : null;
    r.threshold = round(c.threshold());
    r.confidence = round(c.confidence() * 100);
    return r;
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
