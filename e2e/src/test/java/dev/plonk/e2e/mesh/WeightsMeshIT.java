package dev.plonk.e2e.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.e2e.Rollouts;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Weighted routing done by Linkerd: the controller writes 80/20 into the TrafficSplit (turned into a ServiceProfile by
 * linkerd-smi) or the HTTPRoute (read by Linkerd's policy controller); the gateway, in mesh mode, sends every call to
 * the apex Service and splits nothing; the gateway pod's proxy splits. Without Linkerd every call would reach the
 * apex's selector (the primary): the canary's share would be 0.
 * Each provider gets its own function: the ServiceProfile that linkerd-smi leaves behind for an apex would override an
 * HTTPRoute on the same Service.
 */
@ExtendWith(OnMesh.class)
class WeightsMeshIT {
  private static final int CALLS = 2_000;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"smi", "gatewayapi"})
  void linkerdSplitsTheGatewaysCallsByTheWeightsTheControllerWrote(String provider, Mesh mesh) throws Exception {
    String name = "echo-split-" + (provider.equals("smi") ? "smi" : "http");
    // one step to 20 %, then the Rollout is paused there: no check, so the controller would promote at the next tick
    MeshRollouts.start(mesh, name, provider, """
        interval: 15s
        threshold: 2
        stepWeights: [20]""");
    MeshRollouts.release(mesh, name, "v2", "0");
    Rollouts.await(name + " canary at 20", Duration.ofMinutes(4),
        () -> Integer.valueOf(20).equals(MeshRollouts.weights(mesh, name, provider).get(name + "-canary")));
    mesh.cluster().kubectl("patch", "rollout", name, "-n", dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS, "--type=merge",
        "-p", "{\"spec\":{\"paused\":true}}");
    Map<String, Integer> written = Map.of(name + "-primary", 80, name + "-canary", 20);
    assertThat(MeshRollouts.weights(mesh, name, provider)).as("weights written by the controller").isEqualTo(written);

    // Linkerd applies a route change asynchronously: wait until the canary has answered once
    Rollouts.await("the canary answers through the mesh", Duration.ofMinutes(2),
        () -> sendQuietly(mesh.functionUrl(name)).count("v2 200") > 0);
    Calls calls = Calls.send(mesh.functionUrl(name), CALLS, 4);
    long v1 = calls.count("v1 200");
    long v2 = calls.count("v2 200");
    double share = 100.0 * v2 / (v1 + v2);
    System.err.printf("[e2e] %s 80/20 split by Linkerd over %d calls through the gateway: %s -> canary share %.2f %%%n",
        provider, CALLS, calls.counts(), share);
    assertThat(calls.counts()).as("every call answered by the primary (v1) or the canary (v2)")
        .containsOnlyKeys("v1 200", "v2 200");
    assertThat(share).as("canary share of " + CALLS + " calls, weight 20").isBetween(15.0, 25.0);
    assertThat(MeshRollouts.weights(mesh, name, provider)).as("the paused Rollout kept its weights").isEqualTo(written);
    MeshRollouts.delete(mesh, name);
  }

  private static Calls sendQuietly(String url) {
    try {
      return Calls.send(url, 20, 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
