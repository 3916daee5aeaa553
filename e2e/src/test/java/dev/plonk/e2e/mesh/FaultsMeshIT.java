package dev.plonk.e2e.mesh;

import static dev.plonk.e2e.mesh.Mesh.GATEWAY_IDENTITY;
import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.e2e.Rollouts;
import dev.plonk.e2e.Traffic;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Faults of the mesh: Linkerd's destination controller lost under traffic; a function pod replaced. */
@ExtendWith(OnMesh.class)
class FaultsMeshIT {
  private static final String LINKERD = "linkerd";
  private static final String DESTINATION = "linkerd.io/control-plane-component";

  @Test
  void callsKeepFlowingOnTheProxiesCachedStateWhileTheDestinationControllerIsReplaced(Mesh mesh) throws Exception {
    String name = "echo-destination";
    mesh.deployFunction(name, "v1", "0");
    try (Traffic traffic = new Traffic(mesh.functionUrl(name))) {
      Rollouts.await("traffic through the meshed gateway", Duration.ofMinutes(1), () -> traffic.count("v1 200") > 200);
      traffic.reset();
      Pod victim = mesh.readyPods(LINKERD, DESTINATION, "destination").get(0);
      mesh.client().pods().inNamespace(LINKERD).resource(victim).withGracePeriod(0).delete();
      long atDeletion = traffic.count("v1 200");
      Rollouts.await("a new destination pod Ready", Duration.ofMinutes(4), () -> mesh.readyPods(LINKERD, DESTINATION,
          "destination").stream().anyMatch(p -> !p.getMetadata().getName().equals(victim.getMetadata().getName())));
      long whileAway = traffic.count("v1 200") - atDeletion;
      long okBefore = traffic.count("v1 200");
      Rollouts.await("traffic after the replacement", Duration.ofMinutes(1), () -> traffic.count("v1 200") > okBefore + 200);
      Map<String, Long> counts = traffic.counts();
      long total = counts.values().stream().mapToLong(Long::longValue).sum();
      long failed = total - counts.getOrDefault("v1 200", 0L);
      System.err.printf("[e2e] destination pod %s deleted under traffic: %d calls succeeded while no destination pod "
          + "was Ready; %d of %d calls failed %s%n", victim.getMetadata().getName(), whileAway, failed, total, counts);
      assertThat(whileAway).as("calls served on the proxies' cached discovery while the destination was away")
          .isPositive();
      assertThat(failed).as("failed calls while the destination controller was replaced " + counts)
          .isLessThanOrEqualTo(total / 20);
    }
  }

  @Test
  void aRestartedFunctionPodComesBackMeshed(Mesh mesh) throws Exception {
    String name = "echo-restart";
    mesh.deployFunction(name, "v1", "0");
    Pod before = mesh.readyPods(FUNCTIONS, "app", name).get(0);
    mesh.client().pods().inNamespace(FUNCTIONS).resource(before).delete();
    Rollouts.await("a new " + name + " pod Ready", Duration.ofMinutes(3), () -> mesh.readyPods(FUNCTIONS, "app", name)
        .stream().anyMatch(p -> !p.getMetadata().getName().equals(before.getMetadata().getName())));
    Pod after = mesh.readyPods(FUNCTIONS, "app", name).stream()
        .filter(p -> !p.getMetadata().getName().equals(before.getMetadata().getName())).findFirst().orElseThrow();
    Calls calls = Calls.send(mesh.functionUrl(name), 20, 1);
    System.err.printf("[e2e] %s replaced by %s (proxy injected: %s); calls %s from %s%n", before.getMetadata().getName(),
        after.getMetadata().getName(), Mesh.injected(after), calls.counts(), calls.callerIdentities());
    assertThat(after).as("the replacement pod has Linkerd's proxy").matches(Mesh::injected);
    assertThat(calls.counts()).containsExactly(Map.entry("v1 200", 20L));
    assertThat(calls.callerIdentities()).containsExactly(Map.entry(GATEWAY_IDENTITY, 20L));
  }
}
