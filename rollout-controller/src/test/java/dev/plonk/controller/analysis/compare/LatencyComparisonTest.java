package dev.plonk.controller.analysis.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyComparisonTest {
  static final double INF = Double.POSITIVE_INFINITY;
  final LatencyComparison twentyPercent = new LatencyComparison(0.2, 0.99);
  // p99: rank 990 falls in (25, 50] holding 490 calls, 490 of them needed: 25 + 25 = 50 ms
  final Histogram primary = histogram(10, 0, 25, 500, 50, 990, 100, 1000, INF, 1000);

  static Histogram histogram(double... leCount) {
    List<Histogram.Bucket> b = new java.util.ArrayList<>();
    for (int i = 0; i < leCount.length; i += 2) {
      b.add(new Histogram.Bucket(leCount[i], (long) leCount[i + 1]));
    }
    return new Histogram(b);
  }

  @Test
  void quantileInterpolatesLikePromql() {
    assertThat(primary.quantile(0.99)).isCloseTo(50, within(1e-9));
    assertThat(primary.quantile(0.5)).isCloseTo(25, within(1e-9));
    assertThat(Histogram.EMPTY.quantile(0.99)).isNaN();
  }

  @Test
  void slowCanaryIsWorse() {
    Histogram canary = histogram(10, 0, 25, 100, 50, 400, 100, 700, 250, 1000, INF, 1000);
    Comparison c = twentyPercent.compare(canary, primary);
    // limit 60 ms; calls surely slower: above the 100 ms bound, 300 of 1000
    assertThat(c.verdict()).isEqualTo(Verdict.WORSE);
    assertThat(c.estimate()).isCloseTo(0.3, within(1e-9));
    assertThat(c.canary().estimate()).isCloseTo(245, within(1e-9));
    assertThat(c.summary()).isEqualTo("canary p99 245 ms (n=1,000) vs primary p99 50 ms (n=1,000): 30.0% of canary "
        + "calls slower than 60 ms (primary p99 +20%), more than 1% at 99%: worse");
  }

  @Test
  void sameDistributionIsNotWorse() {
    Comparison c = twentyPercent.compare(primary, primary);
    // nothing above 100 ms; up to 10 calls (1%) above 50 ms: the interval holds 1%
    assertThat(c.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void fastCanaryWithManyCallsIsNoWorse() {
    Histogram canary = histogram(10, 0, 25, 4000, 50, 5000, 100, 5000, INF, 5000);
    assertThat(twentyPercent.compare(canary, primary).verdict()).isEqualTo(Verdict.NO_WORSE);
  }

  @Test
  void noCallsIsNoDecision() {
    Comparison c = twentyPercent.compare(Histogram.EMPTY, primary);
    assertThat(c.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(c.summary()).isEqualTo("no canary calls in the window: no decision");
  }

  @Test
  void increasesBecomeMonotoneMillisecondBuckets() {
    Histogram h = Histogram.ofIncreases(Map.of(0.05, 9.6, 0.025, 10.2, INF, 20.4), 1000);
    assertThat(h.buckets()).containsExactly(new Histogram.Bucket(25, 10), new Histogram.Bucket(50, 10),
        new Histogram.Bucket(INF, 20));
  }
}
