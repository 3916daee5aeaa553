package dev.plonk.e2e.mesh;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;

import dev.plonk.e2e.Rollouts;
import dev.plonk.e2e.pods.Echo;
import dev.plonk.mesh.router.SplitReader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Rollouts of the echo function in the mesh suite, and the weights their routers wrote, for either provider. */
final class MeshRollouts {
  private MeshRollouts() {
  }

  /** Deploys echo {@code name} at v1 and a Rollout for it with the given provider and analysis block; waits for Initialized. */
  static void start(Mesh mesh, String name, String provider, String analysis) throws IOException {
    mesh.client().apps().deployments().inNamespace(FUNCTIONS).resource(Echo.deployment(FUNCTIONS, name, "v1", "0"))
        .forceConflicts().serverSideApply();
    Path manifest = Files.createTempFile("rollout", ".yaml");
    Files.writeString(manifest, Echo.rollout(FUNCTIONS, name, provider, 300, analysis));
    mesh.cluster().kubectl("apply", "-f", manifest.toString());
    Files.delete(manifest);
    Rollouts.await("Rollout " + name + " Initialized", Duration.ofMinutes(4),
        () -> "Initialized".equals(Rollouts.phase(mesh.client(), FUNCTIONS, name)));
  }

  /** A new revision of the target: echo at {@code version} failing {@code failRate} of its calls. */
  static void release(Mesh mesh, String name, String version, String failRate) {
    mesh.client().apps().deployments().inNamespace(FUNCTIONS).resource(Echo.deployment(FUNCTIONS, name, version, failRate))
        .forceConflicts().serverSideApply();
  }

  /** The weight per backend Service in the route object the provider's router wrote (TrafficSplit or HTTPRoute). */
  static Map<String, Integer> weights(Mesh mesh, String name, String provider) {
    if (provider.equals("smi")) {
      return Rollouts.splitWeights(mesh.client(), FUNCTIONS, name);
    }
    Map<String, Integer> weights = new HashMap<>();
    HTTPRoute route = mesh.client().resources(HTTPRoute.class).inNamespace(FUNCTIONS).withName(name).get();
    if (route != null) {
      SplitReader.fromHttpRoute(route).ifPresent(s -> s.backends().forEach(b -> weights.put(b.service(), b.weight())));
    }
    return weights;
  }

  /** Removes the Rollout and its Deployments (the mesh suite shares one small node). */
  static void delete(Mesh mesh, String name) {
    mesh.cluster().kubectl("delete", "rollout", name, "-n", FUNCTIONS, "--ignore-not-found", "--wait=false");
    mesh.cluster().kubectl("delete", "deployment", name, name + "-primary", "-n", FUNCTIONS, "--ignore-not-found",
        "--wait=false");
  }
}
