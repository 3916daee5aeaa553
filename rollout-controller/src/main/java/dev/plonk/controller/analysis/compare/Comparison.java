package dev.plonk.controller.analysis.compare;

import java.util.Locale;

/**
 * One canary-vs-primary comparison with its evidence, in the units a user reads: percentage points for an error-rate
 * difference, percent of calls for latency.
 *
 * @param quantity what {@code estimate}, {@code lower}, {@code upper} and {@code boundary} measure
 * @param estimate the compared quantity now
 * @param lower the lower end of its confidence sequence at {@code confidence}
 * @param upper the upper end
 * @param boundary the tolerance: worse means {@code lower > boundary}, no worse means {@code upper <= boundary}
 * @param statistic natural log of the mixture likelihood ratio against {@code boundary}
 * @param threshold {@code ln(1 / (1 - confidence))}: the statistic crossing it rejects {@code boundary}
 * @param summary one line with both versions' numbers and the verdict, e.g. for an Event
 */
public record Comparison(Verdict verdict, Side canary, Side primary, String quantity, double estimate, double lower,
    double upper, double boundary, double statistic, double threshold, double confidence, String summary) {

  /**
   * One version's sample.
   *
   * @param samples requests in the window
   * @param events errors, or calls slower than the limit
   * @param estimate the error rate in percent, or the p99 in milliseconds
   */
  public record Side(long samples, long events, double estimate) {}

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  static String points(double fraction) {
    return String.format(Locale.ROOT, "%+.1fpp", fraction * 100);
  }

  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
  }

  static String confidence(double c) {
    return number(c * 100) + "%";
  }
}
