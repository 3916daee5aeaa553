package dev.plonk.controller.analysis.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases (tolerance 0.5pp, 99%, tau 0.02): V = pc(1-pc)/nc + pp(1-pp)/np with p = (x+0.5)/(n+1),
 * half width = sqrt(V (V+tau^2)/tau^2 (2 ln 100 + ln((V+tau^2)/V))).
 */
class ErrorRateComparisonTest {
  final ErrorRateComparison half = new ErrorRateComparison(0.005, 0.99);

  @Test
  void halfWidthOfTheMixtureSequence() {
    // V = 1e-4, tau^2 = 4e-4: sqrt(1e-4 * 1.25 * (9.210340 + ln 5 = 10.819778)) = 0.0367758
    assertThat(ConfidenceSequence.halfWidth(1e-4, 4e-4, 0.01)).isCloseTo(0.0367758, within(1e-6));
    assertThat(ConfidenceSequence.halfWidth(0, 4e-4, 0.01)).isZero();
    // at the edge of the interval the likelihood ratio is exactly 1/alpha
    double h = ConfidenceSequence.halfWidth(1e-4, 4e-4, 0.01);
    assertThat(ConfidenceSequence.logLikelihoodRatio(h, 0, 1e-4, 4e-4)).isCloseTo(Math.log(100), within(1e-9));
  }

  @Test
  void theIssuesExampleIsWorse() {
    Comparison c = half.compare(new Counts(612, 60), new Counts(2410, 10));
    // diff 60/612 - 10/2410 = 0.0938898; V = 1.47149e-4; half width 0.046024; lower 0.0478658 > 0.005
    assertThat(c.verdict()).isEqualTo(Verdict.WORSE);
    assertThat(c.estimate()).isCloseTo(0.0938898, within(1e-6));
    assertThat(c.lower()).isCloseTo(0.0478658, within(1e-6));
    assertThat(c.upper()).isCloseTo(0.139914, within(1e-6));
    assertThat(c.statistic()).isCloseTo(18.9711, within(1e-3));
    assertThat(c.threshold()).isCloseTo(4.60517, within(1e-5));
    assertThat(c.summary()).isEqualTo("canary 9.8% errors (n=612) vs primary 0.4% (n=2,410): worse by >0.5pp at 99%");
  }

  @Test
  void zeroErrorsInBothIsNoWorseWithEnoughRequests() {
    Comparison c = half.compare(new Counts(1000, 0), new Counts(4000, 0));
    // V = 4.99251e-7 + 3.12383e-8 = 5.30489e-7; half width 0.00290044 <= 0.005
    assertThat(c.verdict()).isEqualTo(Verdict.NO_WORSE);
    assertThat(c.upper()).isCloseTo(0.00290044, within(1e-7));
    assertThat(c.summary()).isEqualTo("canary 0.0% errors (n=1,000) vs primary 0.0% (n=4,000): no worse than +0.5pp at 99%");
  }

  @Test
  void zeroErrorsInBothWithFewRequestsIsInconclusive() {
    Comparison c = half.compare(new Counts(100, 0), new Counts(400, 0));
    assertThat(c.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(c.summary()).startsWith("canary 0.0% errors (n=100) vs primary 0.0% (n=400): not enough evidence for "
        + "+0.5pp at 99% (difference +0.0pp, interval ");
  }

  @Test
  void zeroSamplesIsNoDecision() {
    Comparison none = half.compare(Counts.NONE, new Counts(500, 3));
    assertThat(none.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(none.summary()).isEqualTo("no canary requests in the window: no decision");
    assertThat(half.compare(new Counts(50, 1), Counts.NONE).summary())
        .isEqualTo("no primary requests in the window: no decision");
  }

  @Test
  void tooFewRequestsIsReportedAsSuchNeverAPass() {
    Comparison c = half.compare(new Counts(10, 1), new Counts(500, 0));
    assertThat(c.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(c.summary()).contains("too few requests (< 20)");
  }

  @Test
  void primaryAllFailingAndCanaryHealthyIsNoWorse() {
    Comparison c = half.compare(new Counts(100, 0), new Counts(500, 500));
    // diff -1, half width 0.0256579: upper -0.974342
    assertThat(c.verdict()).isEqualTo(Verdict.NO_WORSE);
    assertThat(c.upper()).isCloseTo(-0.974342, within(1e-6));
  }

  @Test
  void canaryFailingExactlyLikeAFailingPrimaryIsNotWorse() {
    Comparison c = half.compare(new Counts(100, 100), new Counts(500, 500));
    // diff 0, half width 0.0256579: the interval [-2.6pp, +2.6pp] holds the +0.5pp boundary
    assertThat(c.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(c.lower()).isCloseTo(-0.0256579, within(1e-6));
  }

  @Test
  void countsFromPrometheusIncreasesAreRoundedAndClamped() {
    assertThat(Counts.ofIncreases(612.4, 60.6)).isEqualTo(new Counts(612, 61));
    // requests and errors are extrapolated apart: errors may come out above requests
    assertThat(Counts.ofIncreases(10.2, 10.7)).isEqualTo(new Counts(10, 10));
    // no data, or a series broken by a reset that increase() could not see, counts as nothing
    assertThat(Counts.ofIncreases(Double.NaN, 1)).isEqualTo(Counts.NONE);
    assertThat(Counts.ofIncreases(-5, 0)).isEqualTo(Counts.NONE);
    assertThatThrownBy(() -> new Counts(3, 4)).hasMessageContaining("0 <= errors <= requests");
  }

  @Test
  void evidenceAccumulatesAcrossTicksAfterACounterReset() {
    // tick 1: 50 canary requests, 5 errors; a canary pod restarts and its counter starts again at 0;
    // increase() over the whole window still counts both lives: 50 + 100 requests, 5 + 10 errors
    Counts tick1 = new Counts(50, 5);
    Counts afterReset = tick1.plus(Counts.ofIncreases(100, 10));
    assertThat(half.compare(tick1, new Counts(950, 5)).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(afterReset).isEqualTo(new Counts(150, 15));
    assertThat(half.compare(afterReset.plus(new Counts(150, 15)), new Counts(2300, 12)).verdict())
        .isEqualTo(Verdict.WORSE);
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new ErrorRateComparison(-0.1, 0.99)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ErrorRateComparison(0.005, 1.0)).isInstanceOf(IllegalArgumentException.class);
  }
}
