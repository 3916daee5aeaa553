package dev.plonk.e2e.pods;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.e2e.Rollouts;
import dev.plonk.e2e.Traffic;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The canary story on pods: echo is a Deployment of pods; the controller pod creates echo-primary, the Services and
 * the TrafficSplit; the gateway pods route by its weights to the primary and canary pods; a healthy v2 is promoted with
 * no client error, a v3 failing half its calls is rolled back, all under live traffic through the gateway's NodePort.
 */
@ExtendWith(OnPods.class)
class CanaryOnPodsIT {
  private static final String NAME = "echo";
  /** How long a window of ~100 calls may take: they are sequential, and ~1 s each at a load average of 40. */
  static final Duration TRAFFIC_WAIT = Duration.ofMinutes(3);

  @Test
  void healthyCanaryPromotedAndFailingCanaryRolledBackOnPods(PlonkInstall plonk) throws Exception {
    KubernetesClient client = plonk.client();
    client.apps().deployments().inNamespace(FUNCTIONS).resource(Echo.deployment(FUNCTIONS, NAME, "v1", "0"))
        .forceConflicts().serverSideApply();
    Path manifest = Files.createTempFile("rollout", ".yaml");
    Files.writeString(manifest, Echo.rollout(FUNCTIONS, NAME));
    plonk.cluster().kubectl("apply", "-f", manifest.toString());
    Rollouts.watchWeightsUntilPhase(client, FUNCTIONS, NAME, "Initialized", Duration.ofMinutes(3));

    // the controller made the primary: a real ReplicaSet whose pods are Ready, and the Services and the split
    assertReadyPods(client, NAME + "-primary", "v1");
    assertThat(client.services().inNamespace(FUNCTIONS).list().getItems()).extracting(s -> s.getMetadata().getName())
        .contains(NAME, NAME + "-primary", NAME + "-canary");
    assertThat(Rollouts.splitWeights(client, FUNCTIONS, NAME)).isEqualTo(Map.of(NAME + "-primary", 100, NAME + "-canary", 0));

    try (Traffic traffic = new Traffic(plonk.gatewayUrl() + "/function/" + NAME + "." + FUNCTIONS + "/")) {
      Rollouts.await("v1 traffic through the gateway pods", TRAFFIC_WAIT, () -> traffic.count("v1 200") > 100);
      traffic.reset();

      client.apps().deployments().inNamespace(FUNCTIONS).resource(Echo.deployment(FUNCTIONS, NAME, "v2", "0"))
          .forceConflicts().serverSideApply();
      List<Integer> weights = Rollouts.watchWeightsUntilPhase(client, FUNCTIONS, NAME, "Succeeded", Duration.ofMinutes(4));
      assertThat(weights).as("canary weights seen").contains(20, 40, 60);
      assertThat(traffic.count("v2 200")).as("the canary pods served calls").isPositive();
      assertReadyPods(client, NAME + "-primary", "v2");
      Rollouts.await("v2 traffic after promotion", TRAFFIC_WAIT, () -> traffic.count("v2 200") > 100);
      assertThat(traffic.counts()).as("no client error during a healthy promotion on pods")
          .allSatisfy((key, count) -> assertThat(key).endsWith(" 200"));

      client.apps().deployments().inNamespace(FUNCTIONS).resource(Echo.deployment(FUNCTIONS, NAME, "v3", "0.5"))
          .forceConflicts().serverSideApply();
      Rollouts.watchWeightsUntilPhase(client, FUNCTIONS, NAME, "Failed", Duration.ofMinutes(4));
      Rollouts.awaitPrimaryOnly(client, FUNCTIONS, NAME);
      // each gateway pod learns the rolled-back split from its own informer, and a call sent before may still be out
      traffic.awaitStreak("v2 200", 50, TRAFFIC_WAIT);
      traffic.reset();
      Rollouts.await("v2 traffic after rollback", TRAFFIC_WAIT, () -> traffic.count("v2 200") > 100);
      assertThat(traffic.counts()).containsOnlyKeys("v2 200");
      assertReadyPods(client, NAME + "-primary", "v2");
    }
    assertThat(plonk.cluster().kubectl("get", "events", "-n", FUNCTIONS, "--field-selector", "involvedObject.kind=Rollout"))
        .contains("Promot");
  }

  /** The Deployment's current ReplicaSet really exists and its pods are Ready with the given VERSION. */
  private static void assertReadyPods(KubernetesClient client, String deployment, String version) {
    Rollouts.await(deployment + " pods Ready at " + version, Duration.ofMinutes(2), () -> {
      List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(FUNCTIONS).list().getItems().stream()
          .filter(rs -> rs.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getName().equals(deployment)))
          .filter(rs -> rs.getSpec().getReplicas() > 0).toList();
      if (sets.size() != 1 || !version.equals(env(sets.get(0).getSpec().getTemplate().getSpec().getContainers().get(0)
          .getEnv(), "VERSION"))) {
        return false;
      }
      List<Pod> pods = client.pods().inNamespace(FUNCTIONS).list().getItems().stream()
          .filter(p -> p.getMetadata().getOwnerReferences().stream()
              .anyMatch(o -> o.getName().equals(sets.get(0).getMetadata().getName())))
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
      return !pods.isEmpty() && pods.stream().allMatch(p -> p.getStatus().getPodIP() != null && p.getStatus()
          .getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
    });
  }

  private static String env(List<io.fabric8.kubernetes.api.model.EnvVar> env, String name) {
    return env.stream().filter(e -> e.getName().equals(name)).map(io.fabric8.kubernetes.api.model.EnvVar::getValue)
        .findFirst().orElse(null);
  }
}
