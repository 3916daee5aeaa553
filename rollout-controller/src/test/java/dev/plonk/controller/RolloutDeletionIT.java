package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Deleting a Rollout never takes the function down: it reverts to the target, or leaves the primary serving. */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class RolloutDeletionIT {

  @Test
  void revertOnDeletionRestoresTheTarget(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> spec.revertOnDeletion = true);
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

  @Test
  void byDefaultThePrimaryKeepsServingWithoutAnOwner(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> { });
      Rollout rollout = s.rollout();
      assertThat(rollout.getSpec().revertOnDeletion).as("the apiserver fills in the default").isFalse();

      client.resource(rollout).delete();
      Scenario.await("the Rollout gone", Duration.ofSeconds(30), () -> s.rollout() == null);
      assertThat(s.deployment("echo-primary").getMetadata().getOwnerReferences()).isNullOrEmpty();
      assertThat(s.targetReplicas()).as("the target is left as it was").isZero();
      assertThat(s.weights()).contains(Weights.PRIMARY_ONLY);
      assertThat(client.services().inNamespace(ns.name()).withName("echo").get().getSpec().getSelector())
          .containsEntry("faas_function", "echo-primary");
      for (String service : new String[] {"echo-primary", "echo-canary"}) {
        assertThat(client.services().inNamespace(ns.name()).withName(service).get().getMetadata().getOwnerReferences())
            .as(service).isNullOrEmpty();
      }
      assertThat(s.events()).anySatisfy(e -> assertThat(e.getMessage()).contains("revertOnDeletion is false"));
    }
  }
}
