package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Deleting a Rollout first gives the target its replicas back, so there is no downtime, then lets the Rollout go. */
@DevStackTest(prometheus = true, upstreamCrds = true)
class RolloutDeletionIT {

  @Test
  void deletionRestoresTheTarget(KubernetesClient client, Kubernetes k8s, Prometheus prometheus, TestNamespace ns)
      throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> { });
      Rollout rollout = s.rollout();
      assertThat(rollout.getMetadata().getFinalizers()).isNotEmpty();
      assertThat(s.deployment("echo-primary").getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(rollout.getMetadata().getUid()));

      client.resource(rollout).delete();
      Scenario.await("the Rollout gone", Duration.ofSeconds(30), () -> s.rollout() == null);
      assertThat(s.targetReplicas()).isEqualTo(1);
      assertThat(s.weights()).isEmpty();
      assertThat(client.services().inNamespace(ns.name()).withName("echo").get().getSpec().getSelector())
          .containsEntry("faas_function", "echo");
      assertThat(s.eventReasons()).contains("Finalized");
    }
  }
}
