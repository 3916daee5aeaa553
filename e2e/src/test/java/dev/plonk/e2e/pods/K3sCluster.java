package dev.plonk.e2e.pods;

import dev.plonk.devstack.ControlPlaneBinaries;
import dev.plonk.devstack.DevStackException;
import dev.plonk.devstack.ProjectLayout;
import dev.plonk.devstack.UpstreamCrds;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.Container;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A k3s container (Testcontainers), for machines with a Docker engine: {@code ./mvnw -Pk3s -pl e2e -am verify}.
 * Images are loaded with k3s' own {@code ctr}; kubectl is the devstack's, with the container's kubeconfig. Not run on
 * the machine Plonk is developed on (no Docker there): the real node is what proves the suite.
 */
final class K3sCluster implements Cluster {
  private static final String IMAGE = System.getProperty("plonk.e2e.k3s-image", "rancher/k3s:v1.33.5-k3s1");

  private final K3sContainer k3s;
  private final Path kubeconfig;
  private final KubernetesClient client;

  K3sCluster() {
    k3s = new K3sContainer(DockerImageName.parse(IMAGE));
    k3s.addExposedPorts(PlonkInstall.GATEWAY_NODE_PORT);
    k3s.start();
    try {
      kubeconfig = Files.createTempFile("plonk-k3s-", ".kubeconfig");
      Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
    } catch (IOException e) {
      throw new DevStackException("cannot write the k3s kubeconfig: " + e.getMessage(), e);
    }
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public String kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of(ControlPlaneBinaries.ensure().kubectl().toString(),
        "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(ProjectLayout.root().toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " failed:\n" + output);
      }
      return output.trim();
    } catch (IOException e) {
      throw new AssertionError("cannot run kubectl: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running kubectl", e);
    }
  }

  @Override
  public void importImage(Path tar) {
    String inside = "/tmp/" + tar.getFileName();
    k3s.copyFileToContainer(MountableFile.forHostPath(tar), inside);
    try {
      Container.ExecResult result = k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", inside);
      if (result.getExitCode() != 0) {
        throw new AssertionError("ctr images import " + tar + " failed in k3s: " + result.getStderr());
      }
    } catch (IOException e) {
      throw new AssertionError("cannot import " + tar + " into k3s: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted importing " + tar, e);
    }
  }

  @Override
  public String nodePortAddress(int nodePort) {
    return k3s.getHost() + ":" + k3s.getMappedPort(nodePort);
  }

  @Override
  public String hostAddressForPods(int port) {
    Testcontainers.exposeHostPorts(port);
    return "host.testcontainers.internal:" + port;
  }

  @Override
  public void restartContainer(String namespace, String pod, String container) {
    try {
      String id = k3s.execInContainer("crictl", "ps", "-q", "--name", container, "--label",
          "io.kubernetes.pod.namespace=" + namespace, "--label", "io.kubernetes.pod.name=" + pod).getStdout().trim();
      Container.ExecResult stop = k3s.execInContainer("crictl", "stop", id);
      if (id.isEmpty() || stop.getExitCode() != 0) {
        throw new AssertionError("cannot stop " + container + " of " + namespace + "/" + pod + ": " + stop.getStderr());
      }
    } catch (IOException e) {
      throw new AssertionError("crictl in k3s failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public List<Path> routerCrds() {
    return UpstreamCrds.routerCrds();
  }

  @Override
  public void close() {
    client.close();
    k3s.stop();
  }
}
