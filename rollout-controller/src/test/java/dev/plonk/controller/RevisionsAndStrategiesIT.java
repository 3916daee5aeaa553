package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.Strategy;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class RevisionsAndStrategiesIT {

  @Test
  void newRevisionMidAnalysisRestartsAtWeightZero(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.GATEWAY_API)) {
      s.canaryServes(20, 0);
      s.canaryFails();
      s.bootstrap(spec -> spec.analysis.threshold = 1000);
      s.setVersion("v2");
      String v2 = s.awaitHeldAt(10, Duration.ofSeconds(60)).getStatus().lastAppliedSpec;
      s.canaryServes(20, 0);
      s.setVersion("v3");
      Rollout done = s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(90));
      assertThat(done.getStatus().lastAppliedSpec).isNotEqualTo(v2);
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v3");
      assertThat(s.events()).anySatisfy(e -> assertThat(e.getMessage()).contains("during Progressing at canary weight 10")
          .contains("analysis restarted at weight 0"));
      assertThat(s.weightChanges()).as("v2 reached 10 only; v3 walked from 0")
          .containsExactly("0->10", "0->10", "10->20", "20->30", "30->40", "40->50");
    }
  }

  @Test
  void blueGreenPromotesAfterIterations(KubernetesClient client, Kubernetes k8s, Prometheus prometheus, TestNamespace ns)
      throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> {
        spec.strategy = Strategy.BLUE_GREEN;
        spec.analysis.iterations = 3;
      });
      s.echo.failReadiness("echo-primary", "v2"); // holds the promotion still at weight 100
      s.setVersion("v2");
      List<Integer> weights = Scenario.record(() -> s.weights().map(Weights::canary).orElse(-1), w -> w == 100,
          Duration.ofSeconds(40));
      assertThat(weights).containsExactly(0, 100);
      Rollout promoting = s.rollout();
      assertThat(promoting.getStatus().phase).isEqualTo(Phase.Promoting);
      assertThat(promoting.getStatus().iterations).isEqualTo(3);
      s.echo.passReadiness("echo-primary", "v2");
      Rollout done = s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(30));
      s.awaitWeights(Weights.PRIMARY_ONLY);
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
      assertThat(done.getStatus().canaryWeight).isZero();
      assertThat(s.eventReasons()).contains("IterationPassed", "Promoting", "Succeeded");
    }
  }

  @Test
  void blueGreenRollsBack(KubernetesClient client, Kubernetes k8s, Prometheus prometheus, TestNamespace ns)
      throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.GATEWAY_API)) {
      s.canaryServes(5, 15);
      s.bootstrap(spec -> spec.strategy = Strategy.BLUE_GREEN);
      s.setVersion("v2");
      Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(40));
      assertThat(failed.getStatus().failedChecks).isEqualTo(3);
      assertThat(failed.getStatus().iterations).isZero();
      s.awaitWeights(Weights.PRIMARY_ONLY);
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
      assertThat(failed.getStatus().message).containsPattern("request-success-rate = 2[45](\\.\\d+)? outside");
    }
  }
}
