package dev.plonk.e2e.pods;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;
import static dev.plonk.e2e.pods.PlonkInstall.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.e2e.Rollouts;
import dev.plonk.e2e.Traffic;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Faults on pods, each losing nothing: a gateway pod deleted under traffic, the controller leader killed mid-rollout,
 * the NATS container restarted with calls queued. */
@ExtendWith(OnPods.class)
class FaultsOnPodsIT {
  @Test
  void gatewayPodDeletedMidTrafficIsReplacedWithBoundedErrors(PlonkInstall plonk) throws Exception {
    AsyncOnPodsIT.deployFunction(plonk, "echo-faults");
    KubernetesClient client = plonk.client();
    try (Traffic traffic = new Traffic(plonk.gatewayUrl() + "/function/echo-faults." + FUNCTIONS + "/")) {
      Rollouts.await("traffic through the gateway", CanaryOnPodsIT.TRAFFIC_WAIT, () -> traffic.count("v1 200") > 200);
      traffic.reset();
      Set<String> before = podNames(client, "plonk-gateway");
      String victim = before.iterator().next();
      client.pods().inNamespace(SYSTEM).withName(victim).delete();
      Rollouts.await("a new gateway pod Ready", Duration.ofMinutes(3), () -> {
        plonk.awaitReady(SYSTEM);
        Set<String> now = podNames(client, "plonk-gateway");
        return !now.contains(victim) && now.size() == before.size();
      });
      long okBefore = traffic.count("v1 200");
      Rollouts.await("traffic after the replacement", CanaryOnPodsIT.TRAFFIC_WAIT, () -> traffic.count("v1 200") > okBefore + 200);
      Map<String, Long> counts = traffic.counts();
      long errors = counts.entrySet().stream().filter(e -> !e.getKey().equals("v1 200")).mapToLong(Map.Entry::getValue).sum();
      long total = counts.values().stream().mapToLong(Long::longValue).sum();
      System.err.printf("[e2e] gateway pod %s deleted under traffic: %d of %d calls failed %s%n", victim, errors, total, counts);
      assertThat(errors).as("failed calls while a gateway pod was replaced " + counts).isLessThanOrEqualTo(total / 20);
    }
  }

  @Test
  void controllerLeaderKilledMidRolloutOtherTakesLeaseWithoutWeightJump(PlonkInstall plonk) throws Exception {
    KubernetesClient client = plonk.client();
    String name = "echo-leader";
    client.apps().deployments().inNamespace(FUNCTIONS).resource(Echo.deployment(FUNCTIONS, name, "v1", "0"))
        .forceConflicts().serverSideApply();
    Path manifest = Files.createTempFile("rollout", ".yaml");
    Files.writeString(manifest, Echo.rollout(FUNCTIONS, name));
    plonk.cluster().kubectl("apply", "-f", manifest.toString());
    Rollouts.watchWeightsUntilPhase(client, FUNCTIONS, name, "Initialized", Duration.ofMinutes(3));
    try (Traffic traffic = new Traffic(plonk.gatewayUrl() + "/function/" + name + "." + FUNCTIONS + "/")) {
      Rollouts.await("v1 traffic", CanaryOnPodsIT.TRAFFIC_WAIT, () -> traffic.count("v1 200") > 100);
      client.apps().deployments().inNamespace(FUNCTIONS).resource(Echo.deployment(FUNCTIONS, name, "v2", "0"))
          .forceConflicts().serverSideApply();
      List<Integer> weights = new ArrayList<>();
      Rollouts.await("first canary step", Duration.ofMinutes(2), () -> {
        Integer w = Rollouts.splitWeights(client, FUNCTIONS, name).get(name + "-canary");
        return w != null && w > 0 && weights.add(w);
      });
      String leader = leaseHolder(client);
      Pod leaderPod = podNames(client, "plonk-rollout-controller").stream().filter(leader::contains).findFirst()
          .map(p -> client.pods().inNamespace(SYSTEM).withName(p).get())
          .orElseThrow(() -> new AssertionError("no controller pod holds the Lease (" + leader + ")"));
      client.pods().inNamespace(SYSTEM).resource(leaderPod).withGracePeriod(0).delete();
      Rollouts.await("another pod takes the Lease", Duration.ofMinutes(2),
          () -> !leaseHolder(client).contains(leaderPod.getMetadata().getName()) && !leaseHolder(client).isBlank());
      weights.addAll(Rollouts.watchWeightsUntilPhase(client, FUNCTIONS, name, "Succeeded", Duration.ofMinutes(4)));
      List<Integer> steps = weights.stream().filter(w -> w > 0).distinct().toList();
      System.err.printf("[e2e] leader %s killed at canary weight %d; new leader %s; weights seen %s%n",
          leaderPod.getMetadata().getName(), weights.get(0), leaseHolder(client), weights);
      for (int i = 1; i < steps.size(); i++) {
        assertThat(steps.get(i) - steps.get(i - 1)).as("weight step " + steps).isBetween(0, 20);
      }
      assertThat(steps.get(steps.size() - 1)).isLessThanOrEqualTo(60);
      assertThat(traffic.counts()).as("no client error across the leader change")
          .allSatisfy((key, count) -> assertThat(key).endsWith(" 200"));
    }
  }

  @Test
  void natsContainerRestartedWithCallsQueuedLosesNone(PlonkInstall plonk) throws Exception {
    AsyncOnPodsIT.deployFunction(plonk, "echo-queued");
    KubernetesClient client = plonk.client();
    int calls = 20;
    try (Callbacks callbacks = new Callbacks(plonk.cluster())) {
      client.apps().deployments().inNamespace(SYSTEM).withName("plonk-queue-worker").scale(0);
      Rollouts.await("queue-workers stopped", Duration.ofMinutes(2), () -> podNames(client, "plonk-queue-worker").isEmpty());
      callbacks.send(plonk.gatewayUrl(), "echo-queued." + FUNCTIONS, "queued", calls);
      Pod nats = client.pods().inNamespace(SYSTEM).withLabel("app.kubernetes.io/name", "nats").list().getItems().get(0);
      int restarts = nats.getStatus().getContainerStatuses().get(0).getRestartCount();
      plonk.cluster().restartContainer(SYSTEM, nats.getMetadata().getName(), "nats");
      Rollouts.await("NATS restarted and Ready", Duration.ofMinutes(2), () -> {
        Pod now = client.pods().inNamespace(SYSTEM).withName(nats.getMetadata().getName()).get();
        return now.getStatus().getContainerStatuses().get(0).getRestartCount() > restarts
            && Boolean.TRUE.equals(now.getStatus().getContainerStatuses().get(0).getReady());
      });
      client.apps().deployments().inNamespace(SYSTEM).withName("plonk-queue-worker").scale(2);
      plonk.awaitReady(SYSTEM);
      Rollouts.await(calls + " callbacks after the NATS restart", Duration.ofMinutes(3),
          () -> callbacks.succeeded("queued").size() == calls);
      assertThat(callbacks.succeeded("queued"))
          .containsExactlyInAnyOrderElementsOf(IntStream.range(0, calls).mapToObj(i -> "queued-" + i).toList());
    } finally {
      client.apps().deployments().inNamespace(SYSTEM).withName("plonk-queue-worker").scale(2);
    }
  }

  private static String leaseHolder(KubernetesClient client) {
    var lease = client.leases().inNamespace(SYSTEM).withName("plonk-rollout-controller").get();
    return lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
  }

  private static Set<String> podNames(KubernetesClient client, String app) {
    return client.pods().inNamespace(SYSTEM).withLabel("app.kubernetes.io/name", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).map(p -> p.getMetadata().getName())
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }
}
