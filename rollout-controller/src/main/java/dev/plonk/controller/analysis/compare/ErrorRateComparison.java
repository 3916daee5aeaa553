package dev.plonk.controller.analysis.compare;

import static dev.plonk.controller.analysis.compare.Comparison.confidence;
import static dev.plonk.controller.analysis.compare.Comparison.count;
import static dev.plonk.controller.analysis.compare.Comparison.percent;
import static dev.plonk.controller.analysis.compare.Comparison.points;

/**
 * Is the canary's error rate worse than the primary's by more than {@code tolerance}? A sequential test on the two
 * versions' cumulative counts (see the analysis README): the difference of the two error rates, its variance from both
 * binomials, and a normal-mixture confidence sequence around it that stays valid however often it is looked at.
 */
public final class ErrorRateComparison {
  /** Standard deviation of the mixing prior on the difference: tuned for differences of a few points. */
  public static final double TAU = 0.02;
  /** Below this many requests of either version no decision is taken, whatever the interval says. */
  public static final long MIN_REQUESTS = 20;
  private final double tolerance;
  private final double confidence;

  /**
   * @param tolerance the tolerated degradation as a fraction (0.005 for 0.5 percentage points)
   * @param confidence e.g. 0.99
   */
  public ErrorRateComparison(double tolerance, double confidence) {
    if (!(tolerance >= 0 && tolerance < 1) || !(confidence > 0.5 && confidence < 1)) {
      throw new IllegalArgumentException("tolerance must be in [0, 1) and confidence in (0.5, 1), got " + tolerance
          + " and " + confidence);
    }
    this.tolerance = tolerance;
    this.confidence = confidence;
  }

  public Comparison compare(Counts canary, Counts primary) {
    double alpha = 1 - confidence;
    double diff = canary.rate() - primary.rate();
    Comparison.Side c = new Comparison.Side(canary.requests(), canary.errors(), canary.rate() * 100);
    Comparison.Side p = new Comparison.Side(primary.requests(), primary.errors(), primary.rate() * 100);
    double threshold = Math.log(1 / alpha);
    if (canary.requests() == 0 || primary.requests() == 0) {
      String who = canary.requests() == 0 ? "canary" : "primary";
      return new Comparison(Verdict.INCONCLUSIVE, c, p, "error rate difference", diff, -1, 1, tolerance, 0, threshold,
          confidence, "no " + who + " requests in the window: no decision");
    }
    double variance = ConfidenceSequence.proportionVariance(canary.errors(), canary.requests())
        + ConfidenceSequence.proportionVariance(primary.errors(), primary.requests());
    double half = ConfidenceSequence.halfWidth(variance, TAU * TAU, alpha);
    double lower = diff - half;
    double upper = diff + half;
    double statistic = ConfidenceSequence.logLikelihoodRatio(diff, tolerance, variance, TAU * TAU);
    boolean enough = canary.requests() >= MIN_REQUESTS && primary.requests() >= MIN_REQUESTS;
    Verdict verdict = !enough ? Verdict.INCONCLUSIVE
        : lower > tolerance ? Verdict.WORSE : upper <= tolerance ? Verdict.NO_WORSE : Verdict.INCONCLUSIVE;
    String head = "canary " + percent(canary.rate()) + " errors (n=" + count(canary.requests()) + ") vs primary "
        + percent(primary.rate()) + " (n=" + count(primary.requests()) + "): ";
    String at = " at " + confidence(confidence);
    String tail = switch (verdict) {
      case WORSE -> "worse by >" + points(tolerance).substring(1) + at;
      case NO_WORSE -> "no worse than " + points(tolerance) + at;
      case INCONCLUSIVE -> (enough ? "not enough evidence" : "too few requests (< " + MIN_REQUESTS + ")") + " for "
          + points(tolerance) + at + " (difference " + points(diff) + ", interval " + points(lower) + ".."
          + points(upper) + ")";
    };
    return new Comparison(verdict, c, p, "error rate difference", diff, lower, upper, tolerance, statistic, threshold,
        confidence, head + tail);
  }
}
