package dev.plonk.controller.analysis.sim;

import dev.plonk.controller.analysis.compare.Counts;
import dev.plonk.controller.analysis.compare.Histogram;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One version's simulated traffic over an interval: each request errs with probability {@code errorRate} and takes a
 * log-normal time (median {@code medianMillis}, log-sd {@code sigma}), counted into the gateway's histogram buckets.
 */
final class Traffic {
  /** The gateway's bucket bounds ({@code plonk_gateway_backend_request_duration_seconds}) in milliseconds. */
  static final double[] BUCKETS_MS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};
  long requests;
  long errors;
  final long[] buckets = new long[BUCKETS_MS.length + 1];

  void serve(SplittableRandom random, long n, double errorRate, double medianMillis, double sigma) {
    for (long i = 0; i < n; i++) {
      requests++;
      if (random.nextDouble() < errorRate) {
        errors++;
      }
      double millis = medianMillis * Math.exp(sigma * gaussian(random));
      int b = 0;
      while (b < BUCKETS_MS.length && millis > BUCKETS_MS[b]) {
        b++;
      }
      buckets[b]++;
    }
  }

  Counts counts() {
    return new Counts(requests, errors);
  }

  Histogram histogram() {
    List<Histogram.Bucket> out = new ArrayList<>();
    long running = 0;
    for (int b = 0; b <= BUCKETS_MS.length; b++) {
      running += buckets[b];
      out.add(new Histogram.Bucket(b < BUCKETS_MS.length ? BUCKETS_MS[b] : Double.POSITIVE_INFINITY, running));
    }
    return new Histogram(out);
  }

  void add(Traffic other) {
    requests += other.requests;
    errors += other.errors;
    for (int b = 0; b < buckets.length; b++) {
      buckets[b] += other.buckets[b];
    }
  }

  /** Requests split by weight: each of {@code total} goes to the canary with probability {@code canaryPercent}/100. */
  static long canaryShare(SplittableRandom random, long total, int canaryPercent) {
    long n = 0;
    for (long i = 0; i < total; i++) {
      if (random.nextInt(100) < canaryPercent) {
        n++;
      }
    }
    return n;
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
