package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A controller restart mid-rollout resumes from the status: no weight jump, no lost step. */
@DevStackTest(prometheus = true, upstreamCrds = true)
class ControllerRestartIT {

  @Test
  void restartResumesFromStatus(KubernetesClient client, Kubernetes k8s, Prometheus prometheus, TestNamespace ns)
      throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> spec.analysis.interval = "2s");
      s.setVersion("v2");
      Scenario.await("canary weight 20", Duration.ofSeconds(30), () -> s.weights().map(Weights::canary).orElse(0) == 20);
      s.stopOperator();
      int atStop = s.weights().orElseThrow().canary();
      for (int i = 0; i < 3; i++) {
        Scenario.sleep(1000);
        assertThat(s.weights().orElseThrow().canary()).as("nothing moves while the controller is down").isEqualTo(atStop);
      }
      assertThat(s.rollout().getStatus().canaryWeight).isEqualTo(atStop);

      s.startOperator();
      List<Integer> weights = Scenario.record(() -> s.weights().map(Weights::canary).orElse(-1), w -> w == 50,
          Duration.ofSeconds(60));
      assertThat(weights.get(0)).isEqualTo(atStop);
      for (int i = 1; i < weights.size(); i++) {
        assertThat(weights.get(i)).as("one step at a time after the restart: %s", weights)
            .isEqualTo(weights.get(i - 1) + 10);
      }
      s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(30));
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
    }
  }
}
