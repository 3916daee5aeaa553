package dev.plonk.controller.analysis.compare;

/**
 * The normal-mixture confidence sequence (Robbins 1970; the mixture SPRT of Johari et al., "Always valid inference",
 * 2017). For an estimate with variance {@code v} and a normal mixing prior of variance {@code tau2} on the true value,
 * the mixture likelihood ratio of "the true value is {@code theta0}" is
 * {@code sqrt(v / (v + tau2)) * exp(tau2 (estimate - theta0)^2 / (2 v (v + tau2)))}; by Ville's inequality it exceeds
 * {@code 1/alpha} at ANY tick with probability at most alpha, so it may be checked at every tick without inflating
 * false alarms. The values of theta0 it has not rejected form the interval {@code estimate +- halfWidth}.
 */
public final class ConfidenceSequence {
  private ConfidenceSequence() {}

  /** Half the width of the interval at level 1 - alpha; 0 when the variance is 0. */
  public static double halfWidth(double variance, double tau2, double alpha) {
    if (!(variance > 0)) {
      return 0;
    }
    double spread = (variance + tau2) / tau2;
    return Math.sqrt(variance * spread * (2 * Math.log(1 / alpha) + Math.log((variance + tau2) / variance)));
  }

  /** Natural log of the mixture likelihood ratio against {@code theta0}; compare it with {@code ln(1/alpha)}. */
  public static double logLikelihoodRatio(double estimate, double theta0, double variance, double tau2) {
    if (!(variance > 0)) {
      return estimate == theta0 ? 0 : Double.POSITIVE_INFINITY;
    }
    double d = estimate - theta0;
    return 0.5 * Math.log(variance / (variance + tau2)) + tau2 * d * d / (2 * variance * (variance + tau2));
  }

  /** The variance of a proportion's estimate, regularised by half an event so zero or all events do not give 0. */
  public static double proportionVariance(long events, long samples) {
    double p = (events + 0.5) / (samples + 1.0);
    return p * (1 - p) / samples;
  }
}
