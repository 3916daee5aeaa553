package dev.plonk.e2e.pods;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plonk.e2e.Rollouts;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each image runs as its own non-root user under a read-only root file system: a pod per image with
 * {@code runAsNonRoot: true} and no {@code runAsUser} (so the kubelet refuses it if the image's user were root),
 * {@code readOnlyRootFilesystem: true} and an emptyDir on /tmp, as deploy/ sets them, runs to completion.
 */
@ExtendWith(OnPods.class)
class ImagesOnPodsIT {
  private static final String NS = "e2e-images";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // the JVM images print their system properties: user.name is the image's user, java.io.tmpdir the emptyDir
      "plonk.local/gateway:dev            | java -XshowSettings:properties -version | user.name = plonk",
      "plonk.local/rollout-controller:dev | java -XshowSettings:properties -version | user.name = plonk",
      "plonk.local/queue-worker:dev       | java -XshowSettings:properties -version | user.name = plonk",
      "plonk.local/echo:dev               | java -XshowSettings:properties -version | user.name = plonk",
      "plonk.local/nats:dev               | /usr/sbin/nats-server --version         | nats-server: v",
      "plonk.local/prometheus:dev         | /usr/bin/prometheus --version           | prometheus, version"})
  void imageRunsAsNonRootUnderReadOnlyRootFilesystem(String image, String command, String expected, PlonkInstall plonk) {
    plonk.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    Rollouts.await("default ServiceAccount of " + NS, Duration.ofSeconds(60),
        () -> plonk.client().serviceAccounts().inNamespace(NS).withName("default").get() != null);
    String name = image.replaceAll(".*/", "").replaceAll(":.*", "");
    Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withRestartPolicy("Never").withAutomountServiceAccountToken(false)
        .withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()
        .addNewContainer().withName(name).withImage(image).withImagePullPolicy("Never")
        .withCommand(List.of(command.split(" ")))
        .withNewSecurityContext().withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false)
        .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .endContainer().addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume().endSpec().build();
    plonk.client().pods().inNamespace(NS).withName(name).delete();
    Rollouts.await("old pod " + name + " gone", Duration.ofSeconds(60),
        () -> plonk.client().pods().inNamespace(NS).withName(name).get() == null);
    plonk.client().pods().inNamespace(NS).resource(pod).create();
    Rollouts.await(name + " pod Succeeded", Duration.ofSeconds(120), () -> {
      Pod now = plonk.client().pods().inNamespace(NS).withName(name).get();
      String waiting = now.getStatus().getContainerStatuses() == null ? null : now.getStatus().getContainerStatuses()
          .stream().filter(c -> c.getState().getWaiting() != null).map(c -> c.getState().getWaiting().getReason()
              + ": " + c.getState().getWaiting().getMessage()).filter(r -> !r.startsWith("ContainerCreating"))
          .findFirst().orElse(null);
      assertThat(waiting).as(name + " refused by the kubelet").isNull();
      assertThat(now.getStatus().getPhase()).as(name + " phase").isNotEqualTo("Failed");
      return "Succeeded".equals(now.getStatus().getPhase());
    });
    String log = plonk.client().pods().inNamespace(NS).withName(name).getLog();
    assertThat(log).contains(expected);
    if (expected.startsWith("user.name")) {
      assertThat(log).contains("java.io.tmpdir = /tmp");
    }
  }

  @Test
  void everyTarballDeclaresTheNonRootUser() throws IOException {
    for (PlonkImages.Image image : PlonkImages.built().images()) {
      JsonNode config = imageConfig(image.tar());
      assertThat(config.path("config").path("User").asText()).as(image.tag()).isEqualTo("10001:10001");
    }
  }

  /** The image config JSON of a docker-save tarball (the file manifest.json names). */
  static JsonNode imageConfig(Path tar) throws IOException {
    ObjectMapper json = new ObjectMapper();
    String configName = json.readTree(entry(tar, "manifest.json")).get(0).get("Config").asText();
    return json.readTree(entry(tar, configName));
  }

  private static byte[] entry(Path tar, String name) throws IOException {
    Process tarProcess = new ProcessBuilder("tar", "-xOf", tar.toString(), name).start();
    byte[] bytes = tarProcess.getInputStream().readAllBytes();
    try {
      if (tarProcess.waitFor() != 0) {
        throw new IOException(name + " not found in " + tar + ": " + new String(tarProcess.getErrorStream().readAllBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading " + tar, e);
    }
    return bytes;
  }
}
