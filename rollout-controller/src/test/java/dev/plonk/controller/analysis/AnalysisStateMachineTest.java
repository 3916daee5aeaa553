package dev.plonk.controller.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.AnalysisSpec;
import dev.plonk.api.v1alpha1.MetricCheck;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.ServiceSpec;
import dev.plonk.api.v1alpha1.Strategy;
import dev.plonk.api.v1alpha1.TargetRef;
import dev.plonk.api.v1alpha1.ThresholdRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisStateMachineTest {
  static final ThresholdRange RANGE = new ThresholdRange(99.0, null);
  final AnalysisStateMachine machine = new AnalysisStateMachine();
  Instant now = Instant.parse("2026-11-24T20:00:00Z");
  RolloutSpec spec = spec();
  RolloutStatus status = new RolloutStatus();
  String targetHash = "v1";
  String primaryHash = "v1";
  boolean targetReady = true;
  boolean primaryReady = true;
  final List<DecisionEvent> events = new ArrayList<>();

  static RolloutSpec spec() {
    RolloutSpec s = new RolloutSpec();
    s.targetRef = new TargetRef("Deployment", "echo");
    s.service = new ServiceSpec(8080);
    s.analysis = new AnalysisSpec();
    s.analysis.interval = "2s";
    s.analysis.threshold = 3;
    s.analysis.stepWeight = 10;
    s.analysis.maxWeight = 50;
    s.analysis.iterations = 3;
    s.analysis.metrics.add(new MetricCheck(MetricCheck.SUCCESS_RATE, RANGE));
    s.progressDeadlineSeconds = 60;
    return s;
  }

  String primaryNotReadyReason = "1 old replicas pending termination";

  Observation observe(UserAction action, List<CheckOutcome> checks) {
    return new Observation(now, targetHash, targetReady ? Readiness.READY : Readiness.waiting("0 of 1 new replicas updated"),
        primaryHash, primaryReady ? Readiness.READY : Readiness.waiting(primaryNotReadyReason), action,
        Cadence.of(spec, status, now), checks);
  }

  Decision step(UserAction action, List<CheckOutcome> checks) {
    Decision d = machine.next(spec, status, 7, observe(action, checks));
    status = d.status();
    events.addAll(d.events());
    return d;
  }

  Decision step() {
    return step(UserAction.NONE, null);
  }

  Decision tick(boolean pass) {
    now = now.plusSeconds(2);
    boolean needed = Cadence.of(spec, status, now).checksNeeded();
    List<CheckOutcome> checks = needed ? List.of(pass ? CheckOutcome.measured("request-success-rate", 100, RANGE)
        : CheckOutcome.measured("request-success-rate", 42.5, RANGE)) : null;
    return step(UserAction.NONE, checks);
  }

  void bootstrapAndStartRevision() {
    step();
    targetHash = "v2";
    step();
    assertThat(status.phase).isEqualTo(Phase.Waiting);
    step();
    assertThat(status.phase).isEqualTo(Phase.Progressing);
  }

  @Test
  void initializingWaitsForThePrimary() {
    primaryReady = false;
    Decision d = step();
    assertThat(status.phase).isEqualTo(Phase.Initializing);
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofSeconds(1));
    primaryReady = true;
    step();
    assertThat(status.phase).isEqualTo(Phase.Initialized);
    assertThat(status.lastAppliedSpec).isEqualTo("v1");
    assertThat(status.lastPromotedSpec).isEqualTo("v1");
    assertThat(status.observedGeneration).isEqualTo(7L);
    assertThat(Statuses.find(status, RolloutStatus.READY).getStatus()).isEqualTo("True");
    assertThat(Desired.targetRuns(status)).isFalse();
  }

  @Test
  void healthyCanaryStepsToMaxWeightThenPromotes() {
    bootstrapAndStartRevision();
    List<Integer> weights = new ArrayList<>();
    weights.add(status.canaryWeight);
    for (int i = 0; i < 5; i++) {
      tick(true);
      weights.add(status.canaryWeight);
    }
    assertThat(weights).containsExactly(0, 10, 20, 30, 40, 50);
    assertThat(status.phase).isEqualTo(Phase.Progressing);
    Decision promote = tick(true);
    assertThat(status.phase).isEqualTo(Phase.Promoting);
    assertThat(promote.promotePrimary()).isTrue();
    assertThat(status.canaryWeight).isEqualTo(50);
    assertThat(Desired.targetRuns(status)).isTrue();

    assertThat(step().promotePrimary()).as("re-copies until the primary carries v2").isTrue();
    primaryHash = "v2";
    primaryReady = false;
    step();
    assertThat(status.phase).isEqualTo(Phase.Promoting);
    primaryReady = true;
    step();
    assertThat(status.phase).isEqualTo(Phase.Finalising);
    assertThat(status.canaryWeight).isZero();
    assertThat(Desired.targetRuns(status)).isFalse();
    step();
    assertThat(status.phase).isEqualTo(Phase.Succeeded);
    assertThat(status.lastPromotedSpec).isEqualTo("v2");
    assertThat(events).extracting(DecisionEvent::reason).containsSubsequence("Initialized", "NewRevision",
        "CanaryReady", "WeightChanged", "Promoting", "Finalising", "Succeeded");
    assertThat(step().events()).as("steady state is quiet").isEmpty();
  }

  @Test
  void failingCanaryRollsBackAtThresholdWithTheValue() {
    bootstrapAndStartRevision();
    tick(true);
    assertThat(status.canaryWeight).isEqualTo(10);
    tick(false);
    assertThat(status.failedChecks).isEqualTo(1);
    assertThat(status.canaryWeight).as("a failed check holds the weight").isEqualTo(10);
    assertThat(status.lastAnalysis.get(0).passed).isFalse();
    assertThat(status.lastAnalysis.get(0).value).isEqualTo(42.5);
    tick(false);
    assertThat(status.phase).isEqualTo(Phase.Progressing);
    tick(false);
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(status.canaryWeight).isZero();
    assertThat(Desired.targetRuns(status)).isFalse();
    DecisionEvent last = events.get(events.size() - 1);
    assertThat(last.warning()).isTrue();
    assertThat(last.message()).contains("3/3 failed checks").contains("request-success-rate = 42.500 outside [99.0, +inf]");
    assertThat(Statuses.find(status, RolloutStatus.READY).getReason()).isEqualTo("ThresholdReached");
    assertThat(step().status().phase).as("a failed revision stays failed").isEqualTo(Phase.Failed);
  }

  @Test
  void canaryThatStopsBeingReadyHoldsTheWeightThenRollsBackAtTheDeadlineCountedFromThen() {
    bootstrapAndStartRevision();
    tick(true);
    assertThat(status.canaryWeight).isEqualTo(10);
    now = now.plusSeconds(600);   // long after the phase started: the deadline counts from when the canary stopped
    targetReady = false;
    tick(true);
    assertThat(status.phase).isEqualTo(Phase.Progressing);
    assertThat(status.canaryWeight).as("no step while the canary is not ready").isEqualTo(10);
    assertThat(events).extracting(DecisionEvent::reason).containsOnlyOnce("CanaryNotReady");
    tick(true);
    assertThat(events).extracting(DecisionEvent::reason).as("one Event per stop").containsOnlyOnce("CanaryNotReady");
    targetReady = true;
    tick(true);
    assertThat(events).extracting(DecisionEvent::reason).containsOnlyOnce("CanaryReadyAgain");
    assertThat(status.canaryWeight).isEqualTo(10);
    tick(true);
    assertThat(status.canaryWeight).as("the analysis goes on").isEqualTo(20);

    targetReady = false;
    tick(true);
    now = now.plusSeconds(59);
    step();
    assertThat(status.phase).isEqualTo(Phase.Progressing);
    now = now.plusSeconds(2);
    step();
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(Statuses.find(status, RolloutStatus.READY).getMessage()).isEqualTo("rolled back revision v2 from "
        + "canary weight 20: the canary was not ready again within progressDeadlineSeconds=60: 0 of 1 new replicas "
        + "updated");
  }

  @Test
  void checkWithoutDataNeverPasses() {
    bootstrapAndStartRevision();
    tick(true);
    now = now.plusSeconds(2);
    step(UserAction.NONE, List.of(CheckOutcome.failed("request-success-rate", RANGE,
        "query sum(rate(x[2s])) returned no data")));
    assertThat(status.failedChecks).isEqualTo(1);
    assertThat(status.canaryWeight).isEqualTo(10);
    assertThat(status.lastAnalysis.get(0).value).isNull();
    assertThat(status.lastAnalysis.get(0).message).contains("returned no data");
  }

  @Test
  void noTickBeforeTheIntervalElapses() {
    bootstrapAndStartRevision();
    now = now.plusMillis(500);
    assertThat(Cadence.of(spec, status, now).due()).isFalse();
    Decision d = step();
    assertThat(status.canaryWeight).isZero();
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void restartResumesFromStatusWithoutAWeightJump() {
    bootstrapAndStartRevision();
    tick(true);
    tick(true);
    RolloutStatus persisted = Statuses.copy(status);
    status = persisted;
    now = now.plusMillis(300);
    step();
    assertThat(status.canaryWeight).isEqualTo(20);
    tick(true);
    assertThat(status.canaryWeight).isEqualTo(30);
  }

  @Test
  void newRevisionDuringProgressingRestartsAtWeightZero() {
    bootstrapAndStartRevision();
    tick(true);
    tick(true);
    tick(false);
    targetHash = "v3";
    step();
    assertThat(status.phase).isEqualTo(Phase.Waiting);
    assertThat(status.canaryWeight).isZero();
    assertThat(status.failedChecks).isZero();
    assertThat(status.lastAppliedSpec).isEqualTo("v3");
    assertThat(events.get(events.size() - 1).message()).contains("analysis restarted at weight 0");
  }

  @Test
  void canaryNotReadyWithinDeadlineRollsBack() {
    step();
    targetHash = "v2";
    targetReady = false;
    step();
    now = now.plusSeconds(30);
    step();
    assertThat(status.phase).isEqualTo(Phase.Waiting);
    now = now.plusSeconds(31);
    step();
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(status.message).contains("progressDeadlineSeconds=60").contains("0 of 1 new replicas updated");
  }

  @Test
  void waitingSaysWhichReadinessCheckFails() {
    step();
    targetHash = "v2";
    targetReady = false;
    step();
    step();
    assertThat(status.phase).isEqualTo(Phase.Waiting);
    assertThat(status.message).startsWith("waiting for the canary Deployment to be ready: 0 of 1 new replicas updated")
        .contains("deadline 2026-11-24T20:01:00Z");
  }

  @Test
  void primaryNeverReadyAtBootstrapIsReportedAtTheDeadline() {
    primaryReady = false;
    step();
    assertThat(status.message).contains("1 old replicas pending termination");
    now = now.plusSeconds(61);
    Decision d = step();
    assertThat(status.phase).isEqualTo(Phase.Initializing);
    assertThat(Statuses.find(status, RolloutStatus.READY).getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(d.events()).singleElement().satisfies(e -> assertThat(e.warning()).isTrue());
    now = now.plusSeconds(2);
    assertThat(step().events()).as("reported once").isEmpty();
  }

  @Test
  void promotedPrimaryNeverReadyHitsTheDeadline() {
    bootstrapAndStartRevision();
    step(UserAction.PROMOTE, null);
    primaryHash = "v2";
    primaryReady = false;
    now = now.plusSeconds(30);
    step();
    assertThat(status.phase).isEqualTo(Phase.Promoting);
    assertThat(status.message).contains("waiting for the promoted primary to be ready: 1 old replicas pending termination");
    now = now.plusSeconds(31);
    step();
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(status.canaryWeight).isZero();
    assertThat(Statuses.find(status, RolloutStatus.READY).getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(status.message).contains("promoted primary was not ready within progressDeadlineSeconds=60");
  }

  @Test
  void revisionPushedBeforeThePromotionCopyIsAnalysedNotPromoted() {
    bootstrapAndStartRevision();
    tick(true);
    Decision promote = step(UserAction.PROMOTE, null);
    assertThat(promote.promotePrimary()).isTrue();
    // the copy failed (or the controller stopped) and v3 arrives before the next reconcile
    targetHash = "v3";
    Decision d = step();
    assertThat(d.promotePrimary()).as("v3 was never analysed").isFalse();
    assertThat(status.phase).isEqualTo(Phase.Waiting);
    assertThat(status.lastAppliedSpec).isEqualTo("v3");
    assertThat(status.canaryWeight).isZero();
    assertThat(d.events()).singleElement().satisfies(e -> assertThat(e.message())
        .contains("new revision v3 arrived before revision v2 was copied into the primary"));
  }

  @Test
  void revisionPushedAfterThePromotionCopyWaitsForItsOwnAnalysis() {
    bootstrapAndStartRevision();
    for (int i = 0; i < 3; i++) {
      tick(true);
    }
    step(UserAction.PROMOTE, null);
    primaryHash = "v2";
    primaryReady = false;
    targetHash = "v3";
    Decision d = step();
    assertThat(d.promotePrimary()).isFalse();
    assertThat(status.canaryWeight).as("the unanalysed v3 gets no traffic").isZero();
    assertThat(d.events()).extracting(DecisionEvent::reason).containsExactly("NewRevisionWaits");
    primaryReady = true;
    step();
    step();
    assertThat(status.phase).isEqualTo(Phase.Succeeded);
    assertThat(status.lastPromotedSpec).isEqualTo("v2");
    step();
    assertThat(status.phase).isEqualTo(Phase.Waiting);
    assertThat(status.lastAppliedSpec).isEqualTo("v3");
  }

  @Test
  void pausedHoldsTheWeights() {
    bootstrapAndStartRevision();
    tick(true);
    spec.paused = true;
    for (int i = 0; i < 3; i++) {
      tick(true);
    }
    assertThat(status.canaryWeight).isEqualTo(10);
    assertThat(status.message).contains("paused at canary weight 10");
    spec.paused = false;
    tick(true);
    assertThat(status.canaryWeight).isEqualTo(20);
  }

  @Test
  void promoteActionSkipsTheRemainingAnalysis() {
    bootstrapAndStartRevision();
    tick(true);
    Decision d = step(UserAction.PROMOTE, null);
    assertThat(status.phase).isEqualTo(Phase.Promoting);
    assertThat(d.promotePrimary()).isTrue();
    assertThat(d.consumedAction()).isTrue();
  }

  @Test
  void abortActionRollsBackNow() {
    bootstrapAndStartRevision();
    tick(true);
    tick(true);
    Decision d = step(UserAction.ABORT, null);
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(status.canaryWeight).isZero();
    assertThat(d.consumedAction()).isTrue();
    assertThat(d.events().get(0).message()).contains("aborted").contains("canary weight 20");
  }

  @Test
  void retryActionRerunsAFailedRevision() {
    bootstrapAndStartRevision();
    step(UserAction.ABORT, null);
    assertThat(status.phase).isEqualTo(Phase.Failed);
    step(UserAction.RETRY, null);
    assertThat(status.phase).isEqualTo(Phase.Waiting);
    assertThat(status.lastAppliedSpec).isEqualTo("v2");
  }

  @Test
  void actionsOutsideARolloutAreIgnoredWithAnEvent() {
    step();
    Decision d = step(UserAction.PROMOTE, null);
    assertThat(status.phase).isEqualTo(Phase.Initialized);
    assertThat(d.consumedAction()).isTrue();
    assertThat(d.events()).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("ActionIgnored"));
  }

  @Test
  void skipAnalysisPromotesStraightAway() {
    spec.skipAnalysis = true;
    bootstrapAndStartRevision();
    assertThat(status.phase).isEqualTo(Phase.Progressing);
    step();
    assertThat(status.phase).isEqualTo(Phase.Promoting);
  }

  @Test
  void stepWeightsAreFollowed() {
    spec.analysis.stepWeights = List.of(5, 25, 80);
    bootstrapAndStartRevision();
    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tick(true);
      seen.add(status.canaryWeight);
    }
    assertThat(seen).containsExactly(5, 25, 80);
    tick(true);
    assertThat(status.phase).isEqualTo(Phase.Promoting);
  }

  @Test
  void blueGreenChecksAtWeightZeroThenSwitchesAllTraffic() {
    spec.strategy = Strategy.BLUE_GREEN;
    bootstrapAndStartRevision();
    now = now.plusSeconds(2);
    assertThat(Cadence.of(spec, status, now).checksNeeded()).isTrue();
    tick(true);
    tick(true);
    assertThat(status.canaryWeight).isZero();
    assertThat(status.iterations).isEqualTo(2);
    tick(true);
    assertThat(status.phase).isEqualTo(Phase.Promoting);
    assertThat(status.canaryWeight).isEqualTo(100);
    primaryHash = "v2";
    step();
    assertThat(status.phase).isEqualTo(Phase.Finalising);
    assertThat(Desired.primaryWeight(status)).isEqualTo(100);
    step();
    assertThat(status.phase).isEqualTo(Phase.Succeeded);
  }

  @Test
  void blueGreenRollsBackOnFailures() {
    spec.strategy = Strategy.BLUE_GREEN;
    bootstrapAndStartRevision();
    tick(true);
    tick(false);
    tick(false);
    tick(false);
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(status.iterations).isEqualTo(1);
    assertThat(status.canaryWeight).isZero();
  }

  @Test
  void newRevisionAfterFailureStartsAgain() {
    bootstrapAndStartRevision();
    step(UserAction.ABORT, null);
    targetHash = "v3";
    step();
    assertThat(status.phase).isEqualTo(Phase.Waiting);
    assertThat(status.lastAppliedSpec).isEqualTo("v3");
  }

  @Test
  void inputStatusIsNeverMutated() {
    step();
    RolloutStatus before = status;
    String json = before.phase + "/" + before.canaryWeight + "/" + before.conditions.size();
    targetHash = "v2";
    machine.next(spec, before, 8, observe(UserAction.NONE, null));
    assertThat(before.phase + "/" + before.canaryWeight + "/" + before.conditions.size()).isEqualTo(json);
    assertThat(before.observedGeneration).isEqualTo(7L);
  }

  @Test
  void userActionParsing() {
    assertThat(UserAction.parse("Promote")).contains(UserAction.PROMOTE);
    assertThat(UserAction.parse(null)).contains(UserAction.NONE);
    assertThat(UserAction.parse("explode")).isEmpty();
  }
}
