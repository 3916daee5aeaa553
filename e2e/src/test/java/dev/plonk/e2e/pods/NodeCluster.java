package dev.plonk.e2e.pods;

import dev.plonk.devstack.DevStack;
import dev.plonk.devstack.Node;
import dev.plonk.devstack.UpstreamCrds;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The devstack's real node (kubelet + containerd built from source), shared by the test JVM. */
public final class NodeCluster implements Cluster {
  private final DevStack stack;
  private final Node node;
  private final Set<Path> preloaded;

  public NodeCluster(DevStack stack) {
    this(stack, List.of());
  }

  /**
   * The node, with these image tarballs loaded while its control plane starts (if this call starts it); importing one
   * of them later does nothing.
   */
  public NodeCluster(DevStack stack, List<Path> images) {
    this.stack = stack;
    this.preloaded = stack.hasNode() ? Set.of() : Set.copyOf(images);
    this.node = stack.preloadImages(images).node();
  }

  @Override
  public KubernetesClient client() {
    return stack.client();
  }

  @Override
  public String kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of(stack.kubernetes().kubectl().toString(),
        "--kubeconfig", stack.kubernetes().kubeconfig().toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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

  /** The devstack's node (its containerd, network namespace and addresses). */
  public Node node() {
    return node;
  }

  @Override
  public void importImage(Path tar) {
    if (!preloaded.contains(tar)) {
      node.importImage(tar);
    }
  }

  @Override
  public String nodePortAddress(int nodePort) {
    return node.nodeIp() + ":" + nodePort;
  }

  @Override
  public String hostAddressForPods(int port) {
    return node.addresses().hostIp() + ":" + port;   // the host end of the node's veth: the one host address pods reach
  }

  @Override
  public void restartContainer(String namespace, String pod, String container) {
    String output = node.crictl("ps", "-q", "--name", container, "--label", "io.kubernetes.pod.namespace=" + namespace,
        "--label", "io.kubernetes.pod.name=" + pod);
    List<String> ids = output.lines().map(String::trim).filter(l -> l.matches("[0-9a-f]{12,}")).toList();   // not warnings
    if (ids.size() != 1) {
      throw new AssertionError("expected one running container " + container + " of " + namespace + "/" + pod + ": " + output);
    }
    String id = ids.get(0);
    node.crictl("stop", "--timeout", "5", id);
  }

  @Override
  public List<Path> routerCrds() {
    return UpstreamCrds.routerCrds();
  }

  @Override
  public void close() {
    // the devstack stops the node with the JVM
  }
}
