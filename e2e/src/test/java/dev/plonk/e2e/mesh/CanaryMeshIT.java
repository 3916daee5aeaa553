package dev.plonk.e2e.mesh;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.e2e.Rollouts;
import dev.plonk.e2e.Traffic;
import dev.plonk.e2e.pods.Echo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo's story analysed on Linkerd's own metrics: the controller's {@code linkerd} observer reads the function
 * proxies' {@code response_total} / {@code response_latency_ms} from Prometheus (job linkerd-proxy), the HTTPRoute's
 * weights are applied by the gateway pod's proxy. A healthy v2 is promoted with no client error; a v3 failing half its
 * calls is rolled back on the success rate its proxy reported. Without Linkerd the observer finds no series and no
 * canary would ever pass a check.
 */
@ExtendWith(OnMesh.class)
class CanaryMeshIT {
  private static final String NAME = "echo-canary";
  private static final String PROVIDER = "gatewayapi";

  @Test
  void healthyCanaryPromotedAndFailingOneRolledBackOnLinkerdMetrics(Mesh mesh) throws Exception {
    // the canary's proxy series exist only once Prometheus has found the new pod and scraped it twice (rate over 10 s,
    // scrapes every 2 s); until then a check finds no data and fails: ticks of 5 s and a threshold of 3 leave the
    // first series 15 s to arrive (the demo's 2 s x 2 suits the gateway observer, whose series the gateway already has)
    MeshRollouts.start(mesh, NAME, PROVIDER, Echo.analysis("linkerd", "5s", 3));
    assertThat(MeshRollouts.weights(mesh, NAME, PROVIDER)).isEqualTo(Map.of(NAME + "-primary", 100, NAME + "-canary", 0));

    try (Traffic traffic = new Traffic(mesh.functionUrl(NAME))) {
      Rollouts.await("v1 traffic through the meshed gateway", Duration.ofMinutes(2), () -> traffic.count("v1 200") > 100);
      traffic.reset();

      MeshRollouts.release(mesh, NAME, "v2", "0");
      List<Integer> weights = watchWeights(mesh, "Succeeded");
      System.err.printf("[e2e] v2 under Linkerd: canary weights %s, client calls %s%n", weights, traffic.counts());
      assertThat(weights).as("canary weights seen").contains(20, 40, 60);
      assertThat(traffic.count("v2 200")).as("the canary pods served calls through the mesh").isPositive();
      Rollouts.await("v2 traffic after promotion", Duration.ofMinutes(1), () -> traffic.count("v2 200") > 100);
      assertThat(traffic.counts()).as("no client error during a healthy promotion under Linkerd")
          .allSatisfy((key, count) -> assertThat(key).endsWith(" 200"));

      MeshRollouts.release(mesh, NAME, "v3", "0.5");
      List<Integer> failed = watchWeights(mesh, "Failed");
      System.err.printf("[e2e] v3 (half its calls fail) under Linkerd: canary weights %s, client calls %s%n", failed,
          traffic.counts());
      // the controller commits the decision (status) first and writes the route right after, in the same reconcile
      Rollouts.await("the HTTPRoute back at 100/0", Duration.ofMinutes(1), () -> MeshRollouts.weights(mesh, NAME, PROVIDER)
          .equals(Map.of(NAME + "-primary", 100, NAME + "-canary", 0)));
      traffic.reset();
      Rollouts.await("v2 traffic after rollback", Duration.ofMinutes(1), () -> traffic.count("v2 200") > 100);
      assertThat(traffic.counts()).containsOnlyKeys("v2 200");
    }
    String events = mesh.cluster().kubectl("get", "events", "-n", FUNCTIONS, "--field-selector",
        "involvedObject.kind=Rollout,involvedObject.name=" + NAME, "-o", "custom-columns=REASON:.reason,MESSAGE:.message");
    System.err.println("[e2e] events of Rollout " + NAME + ":\n" + events);
    assertThat(events).contains("Promot").containsPattern("CheckFailed .*request-success-rate");
    // the series the observer read: the proxies' own, scraped by Plonk's Prometheus
    assertThat(Prometheus.of(mesh).value("sum(response_total{namespace=\"" + FUNCTIONS + "\",deployment=\"" + NAME
        + "\",direction=\"inbound\",classification=\"failure\"})")).as("failures the canary's proxy counted").isPositive();
    MeshRollouts.delete(mesh, NAME);
  }

  private static List<Integer> watchWeights(Mesh mesh, String phase) {
    List<Integer> seen = new java.util.ArrayList<>();
    Rollouts.await("Rollout " + NAME + " phase " + phase, Duration.ofMinutes(5), () -> {
      Integer canary = MeshRollouts.weights(mesh, NAME, PROVIDER).get(NAME + "-canary");
      if (canary != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(canary))) {
        seen.add(canary);
      }
      return phase.equals(Rollouts.phase(mesh.client(), FUNCTIONS, NAME));
    });
    return seen;
  }
}
