package dev.plonk.controller.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.MetricCheck;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.ThresholdRange;
import dev.plonk.controller.analysis.compare.Counts;
import dev.plonk.controller.analysis.compare.ErrorRateComparison;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Early rollback, early promotion, floors, holding, and mixing with fixed checks, on the pure state machine. */
class ComparisonTickTest {
  static final ThresholdRange RANGE = new ThresholdRange(99.0, null);
  static final ErrorRateComparison HALF_POINT = new ErrorRateComparison(0.005, 0.99);
  static final CheckOutcome WORSE = CheckOutcome.compared("request-success-rate",
      HALF_POINT.compare(new Counts(612, 60), new Counts(2410, 10)));
  static final CheckOutcome NO_WORSE = CheckOutcome.compared("request-success-rate",
      HALF_POINT.compare(new Counts(1000, 0), new Counts(4000, 0)));
  static final CheckOutcome TOO_FEW = CheckOutcome.compared("request-success-rate",
      HALF_POINT.compare(new Counts(10, 1), new Counts(500, 0)));
  final AnalysisStateMachine machine = new AnalysisStateMachine();
  final RolloutSpec spec = AnalysisStateMachineTest.spec();
  final List<DecisionEvent> events = new ArrayList<>();
  Instant now = Instant.parse("2026-11-24T20:00:00Z");
  Instant started;
  RolloutStatus status = new RolloutStatus();

  ComparisonTickTest() {
    spec.analysis.metrics.clear();
    spec.analysis.metrics.add(MetricCheck.comparedWithPrimary(MetricCheck.SUCCESS_RATE, 0.5, null));
  }

  void step(String target, List<CheckOutcome> checks) {
    Decision d = machine.next(spec, status, 3, new Observation(now, target, Readiness.READY, "v1",
        Readiness.READY, UserAction.NONE, Cadence.of(spec, status, now), checks));
    status = d.status();
    events.addAll(d.events());
  }

  /** Bootstrap, a new revision, canary ready, and the first tick to weight 10. */
  void startAtWeight10() {
    step("v1", null);
    step("v2", null);
    step("v2", null);
    started = now;
    assertThat(status.phase).isEqualTo(Phase.Progressing);
    tick();
    assertThat(status.canaryWeight).isEqualTo(10);
  }

  void tick(CheckOutcome... checks) {
    now = now.plusSeconds(2);
    step("v2", Cadence.of(spec, status, now).checksNeeded() ? List.of(checks) : null);
  }

  DecisionEvent last(String reason) {
    return events.stream().filter(e -> e.reason().equals(reason)).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void worseRollsBackAtOnceBeforeTheThreshold() {
    startAtWeight10();
    tick(WORSE);
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(status.failedChecks).isZero();
    assertThat(last("CanaryWorse").message()).isEqualTo(
        "canary 9.8% errors (n=612) vs primary 0.4% (n=2,410): worse by >0.5pp at 99%: rolled back");
    assertThat(last("RolledBack").warning()).isTrue();
    assertThat(status.lastAnalysis.get(0).comparison.verdict).isEqualTo("Worse");
    assertThat(status.lastAnalysis.get(0).comparison.canary.requests).isEqualTo(612);
    assertThat(status.lastAnalysis.get(0).comparison.lower).isEqualTo(4.7866);
    assertThat(status.lastAnalysis.get(0).comparison.boundary).isEqualTo(0.5);
  }

  @Test
  void tooFewRequestsIsNeitherAFailureNorAPass() {
    startAtWeight10();
    tick(TOO_FEW);
    assertThat(status.canaryWeight).isEqualTo(20);
    assertThat(status.failedChecks).isZero();
    assertThat(status.lastAnalysis.get(0).passed).isFalse();
    assertThat(status.lastAnalysis.get(0).comparison.verdict).isEqualTo("Inconclusive");
    assertThat(Statuses.find(status, RolloutStatus.ANALYSIS).getReason()).isEqualTo("Inconclusive");
    assertThat(last("WeightChanged").message()).contains("too few requests (< 20)");
  }

  @Test
  void noWorsePromotesEarly() {
    startAtWeight10();
    tick(NO_WORSE);
    assertThat(status.phase).isEqualTo(Phase.Promoting);
    assertThat(last("CanaryNoWorse").message()).isEqualTo("canary 0.0% errors (n=1,000) vs primary 0.0% (n=4,000): "
        + "no worse than +0.5pp at 99%: promoted early at canary weight 10");
  }

  @Test
  void earlyPromotionWaitsForMinWeightAndMinDuration() {
    spec.analysis.minWeight = 30;
    spec.analysis.minDuration = "9s";
    startAtWeight10();
    tick(NO_WORSE);
    assertThat(status.canaryWeight).isEqualTo(20);
    tick(NO_WORSE);
    assertThat(status.canaryWeight).isEqualTo(30);
    assertThat(Duration.between(started, now)).isLessThan(Duration.ofSeconds(9));
    tick(NO_WORSE);
    assertThat(status.canaryWeight).isEqualTo(40);
    tick(NO_WORSE);
    assertThat(status.phase).isEqualTo(Phase.Promoting);
  }

  @Test
  void inconclusiveHoldsAtMaxWeightUntilTheDeadlineThenPromotesOnSchedule() {
    startAtWeight10();
    for (int w = 20; w <= 50; w += 10) {
      tick(TOO_FEW);
      assertThat(status.canaryWeight).isEqualTo(w);
    }
    tick(TOO_FEW);
    assertThat(status.phase).isEqualTo(Phase.Progressing);
    assertThat(last("Holding").message()).startsWith("holding at max weight 50: request-success-rate: canary");
    now = started.plusSeconds(spec.progressDeadlineSeconds - 2);
    tick(TOO_FEW);
    assertThat(status.phase).isEqualTo(Phase.Promoting);
    assertThat(last("Promoting").message()).contains("promoting on schedule, not on evidence");
  }

  @Test
  void aFixedCheckFailingStillCountsAndBlocksEarlyPromotion() {
    MetricCheck fixed = new MetricCheck(MetricCheck.DURATION, new ThresholdRange(null, 500.0));
    spec.analysis.metrics.add(fixed);
    startAtWeight10();
    tick(NO_WORSE, CheckOutcome.measured(MetricCheck.DURATION, 900, fixed.thresholdRange));
    assertThat(status.phase).isEqualTo(Phase.Progressing);
    assertThat(status.failedChecks).isEqualTo(1);
    tick(NO_WORSE, CheckOutcome.measured(MetricCheck.DURATION, 100, fixed.thresholdRange));
    assertThat(status.phase).isEqualTo(Phase.Promoting);
  }

  @Test
  void theComparisonWindowStartsWhenTheAnalysisStartedAndGrows() {
    startAtWeight10();
    tick(TOO_FEW);
    tick(TOO_FEW);
    assertThat(AnalysisWindow.start(status, now)).isEqualTo(started);
    assertThat(AnalysisWindow.since(status, now.plusMillis(300), Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(7));
    assertThat(AnalysisWindow.since(status, started.plusSeconds(1), Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
  }
}
