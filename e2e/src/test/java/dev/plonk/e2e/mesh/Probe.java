package dev.plonk.e2e.mesh;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;

import dev.plonk.devstack.Commands;
import dev.plonk.devstack.ProjectLayout;
import dev.plonk.e2e.Rollouts;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A client pod in the functions' namespace that calls one URL once and exits ({@code devstack/images/probe}: it prints
 * the status code and the body), meshed or not: the caller that is not the gateway.
 */
final class Probe {
  static final String IMAGE = "plonk.local/probe:1";

  private Probe() {
  }

  /** Builds the probe image (a static Go binary, devstack/go-image.sh) and loads it into the node. */
  static void load(Mesh mesh) {
    try {
      Path dir = Files.createTempDirectory("probe-image");
      Path tar = dir.resolve("probe.tar");
      Path devstack = ProjectLayout.root().resolve("devstack");
      Commands.run(300, "bash", devstack.resolve("go-image.sh").toString(), devstack.resolve("images/probe").toString(),
          IMAGE, tar.toString());
      mesh.cluster().importImage(tar);
      Files.delete(tar);
      Files.delete(dir);
    } catch (IOException e) {
      throw new AssertionError("cannot build the probe image: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code probe get URL} in a pod named {@code name}, with Linkerd's proxy or without ({@code linkerd.io/inject:
   * disabled}); returns what it printed: {@code "<status> <body>"}, or the client's error.
   */
  static String get(Mesh mesh, String name, boolean meshed, String url) {
    Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(FUNCTIONS)
        .withAnnotations(Map.of("linkerd.io/inject", meshed ? "enabled" : "disabled")).endMetadata()
        .withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("probe").withImage(IMAGE).withImagePullPolicy("Never").withArgs("get", url)
        .withNewSecurityContext().withRunAsNonRoot(true).withAllowPrivilegeEscalation(false).endSecurityContext()
        .endContainer().endSpec().build();
    mesh.client().pods().inNamespace(FUNCTIONS).resource(pod).create();
    Rollouts.await("probe pod " + name + " done", Duration.ofMinutes(3), () -> {
      Pod now = mesh.client().pods().inNamespace(FUNCTIONS).withName(name).get();
      return now.getStatus().getContainerStatuses() != null && now.getStatus().getContainerStatuses().stream()
          .anyMatch(c -> c.getName().equals("probe") && c.getState().getTerminated() != null);
    });
    Pod done = mesh.client().pods().inNamespace(FUNCTIONS).withName(name).get();
    if (meshed != Mesh.injected(done)) {
      throw new AssertionError("probe pod " + name + " should " + (meshed ? "" : "not ") + "have Linkerd's proxy");
    }
    String log = mesh.client().pods().inNamespace(FUNCTIONS).withName(name).inContainer("probe").getLog().trim();
    mesh.client().pods().inNamespace(FUNCTIONS).withName(name).withGracePeriod(0).delete();
    return log;
  }
}
