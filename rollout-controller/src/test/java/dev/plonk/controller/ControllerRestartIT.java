package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A controller restart mid-rollout resumes from the status: no weight jump, no lost step. */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class ControllerRestartIT {

  @Test
  void restartResumesFromStatus(KubernetesClient client, Kubernetes k8s, Prometheus prometheus, TestNamespace ns)
      throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.canaryFails();
      s.bootstrap(spec -> spec.analysis.threshold = 1000);
      s.setVersion("v2");
      s.awaitHeldAt(10, Duration.ofSeconds(60));
      s.stopOperator();
      s.canaryServes(20, 0);
      for (int i = 0; i < 3; i++) {
        Scenario.sleep(1000);
        assertThat(s.weights().orElseThrow().canary()).as("nothing moves while the controller is down").isEqualTo(10);
      }
      assertThat(s.rollout().getStatus().canaryWeight).isEqualTo(10);

      s.startOperator();
      s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(90));
      assertThat(s.weightChanges()).as("resumed at 10: every step exactly once, no jump, none lost or repeated")
          .containsExactly("0->10", "10->20", "20->30", "30->40", "40->50");
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
    }
  }
}
