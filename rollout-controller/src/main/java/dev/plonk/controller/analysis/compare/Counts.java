package dev.plonk.controller.analysis.compare;

/**
 * Requests and errors of one version over the analysis window. Prometheus' {@code increase()} extrapolates, so it gives
 * fractions, and the two counters are extrapolated apart (errors may come out above requests); {@link #ofIncreases}
 * rounds and clamps them. A counter that restarted (a pod restart) is already handled by {@code increase()}.
 */
public record Counts(long requests, long errors) {
  public static final Counts NONE = new Counts(0, 0);

  public Counts {
    if (requests < 0 || errors < 0 || errors > requests) {
      throw new IllegalArgumentException("counts need 0 <= errors <= requests, got " + errors + "/" + requests);
    }
  }

  /** From Prometheus increases; NaN, infinite or negative values (no data, or a broken series) count as nothing. */
  public static Counts ofIncreases(double requests, double errors) {
    long n = usable(requests) ? Math.round(requests) : 0;
    long x = usable(errors) ? Math.round(errors) : 0;
    return new Counts(n, Math.min(x, n));
  }

  private static boolean usable(double v) {
    return Double.isFinite(v) && v > 0;
  }

  public Counts plus(Counts other) {
    return new Counts(requests + other.requests, errors + other.errors);
  }

  /** The error rate as a fraction; 0 without requests. */
  public double rate() {
    return requests == 0 ? 0 : (double) errors / requests;
  }
}
