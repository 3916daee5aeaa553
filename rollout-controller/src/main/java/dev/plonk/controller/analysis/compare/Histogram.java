package dev.plonk.controller.analysis.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A latency histogram over the analysis window: cumulative counts by upper bound in milliseconds, the last bound
 * {@code +Inf}, as {@code sum by (le) (increase(..._bucket[window]))} returns them.
 */
public record Histogram(List<Bucket> buckets) {
  public static final Histogram EMPTY = new Histogram(List.of());

  /** Calls that took at most {@code le} milliseconds. */
  public record Bucket(double le, long count) {}

  public Histogram {
    buckets = List.copyOf(buckets);
  }

  /** From Prometheus' increases by {@code le} (in the series' unit, times {@code toMillis}); rounds and makes them monotone. */
  public static Histogram ofIncreases(Map<Double, Double> byLe, double toMillis) {
    List<Map.Entry<Double, Double>> sorted = new ArrayList<>(byLe.entrySet());
    sorted.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
    List<Bucket> out = new ArrayList<>();
    long running = 0;
    for (Map.Entry<Double, Double> e : sorted) {
      double v = e.getValue();
      long count = Double.isFinite(v) && v > 0 ? Math.round(v) : 0;
      running = Math.max(running, count);
      out.add(new Bucket(e.getKey() * toMillis, running));
    }
    return new Histogram(out);
  }

  public long total() {
    return buckets.isEmpty() ? 0 : buckets.get(buckets.size() - 1).count();
  }

  /** The q-quantile by linear interpolation inside its bucket, as PromQL's {@code histogram_quantile}; NaN when empty. */
  public double quantile(double q) {
    long total = total();
    if (total == 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lowerLe = 0;
    long lowerCount = 0;
    for (Bucket b : buckets) {
      if (b.count() >= rank) {
        if (Double.isInfinite(b.le())) {
          return lowerLe;
        }
        long inBucket = b.count() - lowerCount;
        return inBucket == 0 ? b.le() : lowerLe + (b.le() - lowerLe) * (rank - lowerCount) / inBucket;
      }
      lowerLe = b.le();
      lowerCount = b.count();
    }
    return lowerLe;
  }

  /** Calls slower than the smallest finite bound at or above {@code millis}: surely slower than it. -1 if none. */
  public long surelySlowerThan(double millis) {
    for (Bucket b : buckets) {
      if (Double.isFinite(b.le()) && b.le() >= millis) {
        return total() - b.count();
      }
    }
    return -1;
  }

  /** Calls slower than the largest bound at or below {@code millis}: at least every call slower than it. */
  public long possiblySlowerThan(double millis) {
    long below = 0;
    for (Bucket b : buckets) {
      if (b.le() <= millis) {
        below = b.count();
      }
    }
    return total() - below;
  }
}
