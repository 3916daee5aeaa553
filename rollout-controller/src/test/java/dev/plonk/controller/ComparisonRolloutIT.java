package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.AnalysisResult;
import dev.plonk.api.v1alpha1.MetricCheck;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.controller.analysis.Statuses;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code comparison: primary} end to end: real apiserver, real Prometheus scraping per-backend gateway series for
 * both versions, the operator in-process, its counts read as {@code increase()} over the analysis window.
 */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class ComparisonRolloutIT {

  static void compareWithPrimary(RolloutSpec spec) {
    spec.analysis.interval = "2s";
    spec.analysis.threshold = 3;
    spec.analysis.metrics.clear();
    spec.analysis.metrics.add(MetricCheck.comparedWithPrimary(MetricCheck.SUCCESS_RATE, 0.5, 99.0));
  }

  /** The Event of a decision: recorded just after the status that carries the decision, so awaited. */
  static Event event(Scenario s, String reason) {
    Scenario.await("a " + reason + " Event", Duration.ofSeconds(10), () -> s.eventReasons().contains(reason));
    return s.events().stream().filter(e -> reason.equals(e.getReason())).findFirst().orElseThrow();
  }

  @Test
  void canaryAtTenPercentErrorsIsRolledBackEarlyWithItsNumbers(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.gateway.set(ns.name(), Scenario.TARGET, "echo-primary", 99.5, 0.5, 0.02);
      s.canaryServes(18, 2);
      s.bootstrap(ComparisonRolloutIT::compareWithPrimary);
      s.setVersion("v2");
      Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(90));

      assertThat(failed.getStatus().failedChecks).as("rolled back before any counted failure").isZero();
      assertThat(Statuses.find(failed.getStatus(), RolloutStatus.READY).getReason()).isEqualTo("CanaryWorse");
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
      Event worse = event(s, "CanaryWorse");
      assertThat(worse.getType()).isEqualTo("Warning");
      assertThat(worse.getMessage()).matches("canary (9\\.\\d|10\\.\\d)% errors \\(n=[\\d,]+\\) vs primary 0\\.\\d% "
          + "\\(n=[\\d,]+\\): worse by >0\\.5pp at 99%: rolled back");
      AnalysisResult evidence = failed.getStatus().lastAnalysis.get(0);
      assertThat(evidence.comparison.verdict).isEqualTo("Worse");
      assertThat(evidence.comparison.canary.requests).isPositive();
      assertThat(evidence.comparison.primary.requests).isGreaterThan(evidence.comparison.canary.requests);
      assertThat(evidence.comparison.canary.estimate).isBetween(9.0, 11.0);
      assertThat(evidence.comparison.lower).isGreaterThan(evidence.comparison.boundary);
      assertThat(evidence.comparison.statistic).isGreaterThan(evidence.comparison.threshold);
    }
  }

  @Test
  void canaryErringExactlyLikeAFailingPrimaryIsNotRolledBack(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.gateway.set(ns.name(), Scenario.TARGET, "echo-primary", 10, 10, 0.02);
      s.canaryServes(10, 10);
      s.bootstrap(spec -> {
        compareWithPrimary(spec);
        spec.progressDeadlineSeconds = 24;
      });
      s.setVersion("v2");
      Rollout done = s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(90));

      assertThat(s.eventReasons()).doesNotContain("RolledBack", "CanaryWorse", "CheckFailed").contains("Holding");
      assertThat(done.getStatus().failedChecks).isZero();
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
      Event promoting = event(s, "Promoting");
      assertThat(promoting.getMessage()).contains("promoting on schedule, not on evidence")
          .containsPattern("canary (4\\d|50)\\.\\d% errors \\(n=[\\d,]+\\) vs primary (4\\d|50)\\.\\d%");
    }
  }
}
