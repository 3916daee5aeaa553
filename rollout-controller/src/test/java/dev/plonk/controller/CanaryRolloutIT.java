package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.controller.analysis.Statuses;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Healthy and failing canaries, end to end: real apiserver, real Prometheus, in-process operator. */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class CanaryRolloutIT {

  @ParameterizedTest
  @EnumSource(Provider.class)
  void healthyCanaryIsPromoted(Provider provider, KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), provider)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> spec.analysis.interval = "2s");
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
      assertThat(client.services().inNamespace(ns.name()).withName("echo").get().getSpec().getSelector())
          .containsEntry("faas_function", "echo-primary");
      assertThat(client.services().inNamespace(ns.name()).withName("echo-canary").get().getSpec().getSelector())
          .containsEntry("faas_function", "echo");

      s.setVersion("v2");
      Rollout done = s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(90));
      assertThat(s.weightChanges()).as("each step recorded once, 10 at a time, up to maxWeight")
          .containsExactly("0->10", "10->20", "20->30", "30->40", "40->50");

      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
      s.awaitWeights(Weights.PRIMARY_ONLY);
      Scenario.await("the canary scaled to 0", Duration.ofSeconds(10), () -> s.targetReplicas() == 0);
      assertThat(done.getStatus().lastPromotedSpec).isEqualTo(done.getStatus().lastAppliedSpec);
      assertThat(Statuses.find(done.getStatus(), RolloutStatus.PROMOTED).getStatus()).isEqualTo("True");
      assertThat(done.getStatus().lastAnalysis).extracting(r -> r.metric)
          .containsExactly("request-success-rate", "request-duration");
      assertThat(done.getStatus().lastAnalysis).allSatisfy(r -> assertThat(r.passed).isTrue());
      assertThat(s.eventReasons()).contains("Initialized", "NewRevision", "CanaryReady", "WeightChanged", "Promoting",
          "Finalising", "Succeeded");
    }
  }

  @Test
  void failingCanaryRollsBackWithTheMeasuredValue(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(10, 10);
      s.bootstrap(spec -> { });
      s.setVersion("v2");
      Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(60));

      assertThat(failed.getStatus().failedChecks).isEqualTo(3);
      assertThat(failed.getStatus().canaryWeight).isZero();
      s.awaitWeights(Weights.PRIMARY_ONLY);
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
      Scenario.await("the canary scaled to 0", Duration.ofSeconds(10), () -> s.targetReplicas() == 0);
      var ready = Statuses.find(failed.getStatus(), RolloutStatus.READY);
      assertThat(ready.getReason()).isEqualTo("ThresholdReached");
      assertThat(ready.getMessage()).contains("3/3 failed checks").containsPattern("request-success-rate = [45]\\d(\\.\\d+)? outside");
      var rolledBack = s.events().stream().filter(e -> "RolledBack".equals(e.getReason())).findFirst();
      assertThat(rolledBack).hasValueSatisfying(e -> {
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getMessage()).contains("3/3 failed checks").contains("request-success-rate = ");
      });
      assertThat(failed.getStatus().lastAnalysis).filteredOn(r -> r.metric.equals("request-success-rate"))
          .singleElement().satisfies(r -> {
            assertThat(r.passed).isFalse();
            assertThat(r.value).isBetween(40.0, 60.0);
          });
      String metrics = metricsText(s);
      assertThat(metrics).contains("plonk_rollout_total{result=\"failed\"} 1.0");
      assertThat(metrics).contains("plonk_rollout_status{name=\"echo\",namespace=\"" + ns.name() + "\",phase=\"Failed\"} 1.0");
    }
  }

  static String metricsText(Scenario s) throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    new io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter(false).write(out, s.registry.scrape());
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  static Optional<Integer> canaryWeight(Scenario s) {
    return s.weights().map(Weights::canary);
  }
}
