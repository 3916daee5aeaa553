package dev.plonk.controller.analysis.compare;

import static dev.plonk.controller.analysis.compare.Comparison.confidence;
import static dev.plonk.controller.analysis.compare.Comparison.count;
import static dev.plonk.controller.analysis.compare.Comparison.number;
import static dev.plonk.controller.analysis.compare.Comparison.percent;

/**
 * Is the canary's p99 worse than the primary's by more than {@code tolerance} (a fraction: 0.2 for 20%)? The limit is
 * the primary's p99 times (1 + tolerance); a canary whose p99 is within the limit has at most 1% of its calls slower
 * than it. So the test is on one proportion, the canary's share of calls slower than the limit, against 1%, with the
 * same confidence sequence as the error rate. Buckets do not fall on the limit: for a rollback only calls in buckets
 * wholly above it count (fewer, so it errs towards continuing), for a promotion every call that may be above it counts.
 * The primary's p99 is taken as known: it has the larger sample for most of a rollout.
 */
public final class LatencyComparison {
  /** The quantile compared. */
  public static final double QUANTILE = 0.99;
  /** Standard deviation of the mixing prior on the share of slow calls. */
  public static final double TAU = 0.02;
  private static final double SHARE = 1 - QUANTILE;
  private final double tolerance;
  private final double confidence;

  public LatencyComparison(double tolerance, double confidence) {
    if (!(tolerance >= 0) || !(confidence > 0.5 && confidence < 1)) {
      throw new IllegalArgumentException("tolerance must be >= 0 and confidence in (0.5, 1), got " + tolerance + " and "
          + confidence);
    }
    this.tolerance = tolerance;
    this.confidence = confidence;
  }

  public Comparison compare(Histogram canary, Histogram primary) {
    double alpha = 1 - confidence;
    double threshold = Math.log(1 / alpha);
    long n = canary.total();
    double primaryP99 = primary.quantile(QUANTILE);
    double canaryP99 = canary.quantile(QUANTILE);
    if (n == 0 || primary.total() == 0) {
      return new Comparison(Verdict.INCONCLUSIVE, new Comparison.Side(n, 0, canaryP99),
          new Comparison.Side(primary.total(), 0, primaryP99), "share of canary calls slower than the limit", 0, 0, 1,
          SHARE, 0, threshold, confidence, "no " + (n == 0 ? "canary" : "primary") + " calls in the window: no decision");
    }
    double limit = primaryP99 * (1 + tolerance);
    long sure = canary.surelySlowerThan(limit);
    long possible = canary.possiblySlowerThan(limit);
    double sureShare = sure < 0 ? 0 : (double) sure / n;
    double possibleShare = (double) possible / n;
    double lower = sureShare - ConfidenceSequence.halfWidth(ConfidenceSequence.proportionVariance(Math.max(sure, 0), n),
        TAU * TAU, alpha);
    double upper = possibleShare + ConfidenceSequence.halfWidth(ConfidenceSequence.proportionVariance(possible, n),
        TAU * TAU, alpha);
    double statistic = ConfidenceSequence.logLikelihoodRatio(sureShare, SHARE,
        ConfidenceSequence.proportionVariance(Math.max(sure, 0), n), TAU * TAU);
    boolean enough = n >= ErrorRateComparison.MIN_REQUESTS && primary.total() >= ErrorRateComparison.MIN_REQUESTS;
    Verdict verdict = !enough ? Verdict.INCONCLUSIVE
        : lower > SHARE ? Verdict.WORSE : upper <= SHARE ? Verdict.NO_WORSE : Verdict.INCONCLUSIVE;
    String head = "canary p99 " + number(canaryP99) + " ms (n=" + count(n) + ") vs primary p99 " + number(primaryP99)
        + " ms (n=" + count(primary.total()) + "): " + percent(sureShare) + " of canary calls slower than "
        + number(limit) + " ms (primary p99 +" + number(tolerance * 100) + "%)";
    String at = " at " + confidence(confidence);
    String tail = switch (verdict) {
      case WORSE -> ", more than 1%" + at + ": worse";
      case NO_WORSE -> ", at most 1%" + at + ": no worse";
      case INCONCLUSIVE -> ": " + (enough ? "not enough evidence" : "too few calls (< " + ErrorRateComparison.MIN_REQUESTS
          + ")") + at + " (interval " + percent(Math.max(lower, 0)) + ".." + percent(Math.min(upper, 1)) + " vs 1%)";
    };
    return new Comparison(verdict, new Comparison.Side(n, Math.max(sure, 0), canaryP99),
        new Comparison.Side(primary.total(), 0, primaryP99), "share of canary calls slower than the limit", sureShare,
        lower, upper, SHARE, statistic, threshold, confidence, head + tail);
  }
}
