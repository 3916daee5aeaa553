package dev.plonk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.AnalysisResult;
import dev.plonk.api.v1alpha1.AnalysisSpec;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.ServiceSpec;
import dev.plonk.api.v1alpha1.TargetRef;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutViewTest {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  static Rollout rollout() {
    Rollout r = new Rollout();
    r.setMetadata(new ObjectMetaBuilder().withName("echo").withNamespace("team-a").build());
    RolloutSpec spec = new RolloutSpec();
    spec.targetRef = new TargetRef("Deployment", "echo");
    spec.service = new ServiceSpec();
    spec.analysis = new AnalysisSpec();
    spec.analysis.interval = "10s";
    spec.analysis.threshold = 2;
    spec.analysis.stepWeight = 20;
    spec.analysis.maxWeight = 60;
    r.setSpec(spec);
    return r;
  }

  static Event event(String reason, String message, Instant at) {
    return new EventBuilder().withNewMetadata().withName(reason).endMetadata().withType("Normal").withReason(reason)
        .withMessage(message).withLastTimestamp(at.toString()).build();
  }

  @Test
  void showsPhaseTrafficChecksConditionsAndTheLatestDecisionsInOrder() {
    Rollout r = rollout();
    RolloutStatus s = new RolloutStatus();
    s.phase = Phase.Progressing;
    s.canaryWeight = 40;
    s.failedChecks = 1;
    s.lastAppliedSpec = "5d8f3c1a2b9e";
    s.lastAnalysisTime = "2026-11-25T09:59:57Z";
    s.lastAnalysis = List.of(
        new AnalysisResult("request-success-rate", 99.5, ">= 99", true, "2026-11-25T09:59:57Z", null),
        new AnalysisResult("request-duration", null, "<= 500", false, "2026-11-25T09:59:57Z", "no data"));
    s.conditions = List.of(new ConditionBuilder().withType("Ready").withStatus("True").withReason("Progressing").build());
    r.setStatus(s);
    List<Event> events = IntStream.range(0, 10)
        .mapToObj(i -> event("Step" + i, "canary weight " + i * 10, NOW.minusSeconds(100 - i))).toList();

    String text = RolloutView.render(r, events, NOW);

    assertThat(text).contains("Status:     ◐ Progressing")
        .contains("Traffic:    primary 60%   canary 40%   steps [20, 40, 60]")
        .contains("Revisions:  analysed 5d8f3c1a2b   promoted -")
        .contains("Analysis:   every 10s, failed checks 1 of 2, last 3s ago")
        .contains("request-success-rate  99.5     >= 99      ✔ pass")
        .contains("request-duration      no data  <= 500     ✖ fail  no data")
        .contains("Ready      True    Progressing");
    assertThat(text).doesNotContain("Step0 ", "Step1 ").contains("Step2", "Step9");
    assertThat(text.indexOf("Step2")).isLessThan(text.indexOf("Step9"));
    assertThat(text).contains("91s  Normal  Step9");
  }

  @Test
  void aComparisonCheckShowsItsVerdictNeverAFailOrPassWhenInconclusive() {
    Rollout r = rollout();
    RolloutStatus s = new RolloutStatus();
    s.phase = Phase.Progressing;
    AnalysisResult inconclusive = new AnalysisResult("request-success-rate", 1.2, null, false, "2026-11-25T09:59:57Z",
        "too few requests");
    inconclusive.comparison = new dev.plonk.api.v1alpha1.ComparisonResult();
    inconclusive.comparison.verdict = "Inconclusive";
    inconclusive.comparison.boundary = 0.5;
    s.lastAnalysis = List.of(inconclusive);
    r.setStatus(s);
    assertThat(RolloutView.render(r, List.of(), NOW))
        .contains("request-success-rate  1.2    vs primary +0.5  … inconclusive  too few requests");
  }

  @Test
  void aRolloutNotReconciledYetSaysSo() {
    String text = RolloutView.render(rollout(), List.of(), NOW);
    assertThat(text).contains("Status:     ◌ Pending (not reconciled yet)")
        .contains("CHECK  (no checks have run yet)").contains("AGE  (no events)");
  }

  @Test
  void agesAreHumanAndNeverNegative() {
    assertThat(RolloutView.ago(NOW.plusSeconds(5), NOW)).isEqualTo("0s");
    assertThat(RolloutView.ago(NOW.minusSeconds(119), NOW)).isEqualTo("119s");
    assertThat(RolloutView.ago(NOW.minusSeconds(600), NOW)).isEqualTo("10m");
    assertThat(RolloutView.ago(NOW.minusSeconds(3 * 86400), NOW)).isEqualTo("3d");
  }

  @Test
  void showsTheGeneratedLoadWhenTheRolloutAsksForIt() {
    Rollout r = rollout();
    assertThat(RolloutView.render(r, List.of(), NOW)).doesNotContain("Load:");
    r.getSpec().analysis.load = new dev.plonk.api.v1alpha1.LoadSpec();
    r.getSpec().analysis.load.rate = 20;
    r.getSpec().analysis.load.method = "POST";
    r.getSpec().analysis.load.path = "/orders";
    assertThat(RolloutView.render(r, List.of(), NOW))
        .containsPattern("Load: +20/s POST /orders to the canary while it is analysed \\(concurrency 4\\)");
  }
}
