package dev.plonk.devstack;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The kubelet inside the node's network namespace, on cgroup v1 with the cgroupfs driver under the node's own cgroup
 * parent, authenticated as {@code system:node:<name>} (group {@code system:nodes}) so that the Node authorizer and
 * NodeRestriction apply to it. Pods get CoreDNS on the node IP as their name server, and nothing from the host.
 */
public final class Kubelet {
  private final Path dir;
  private final NodeBinaries binaries;
  private final NodeNetwork network;
  private final Kubernetes kubernetes;
  private final String nodeName;
  private ManagedProcess process;

  public Kubelet(Path dir, NodeBinaries binaries, NodeNetwork network, Kubernetes kubernetes, String nodeName) {
    this.dir = Kubernetes.mkdirs(dir);
    this.binaries = binaries;
    this.network = network;
    this.kubernetes = kubernetes;
    this.nodeName = nodeName;
  }

  public Kubelet start(Path containerdSocket) {
    Path kubeconfig = kubernetes.kubeconfigFor("system:node:" + nodeName, "system:nodes");
    Path resolvConf = dir.resolve("resolv.conf");
    Containerd.write(resolvConf, "");
    Path config = dir.resolve("kubelet.yaml");
    Containerd.write(config, """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        failCgroupV1: false
        cgroupDriver: cgroupfs
        cgroupRoot: %s
        containerRuntimeEndpoint: unix://%s
        address: %s
        readOnlyPort: 0
        healthzBindAddress: 127.0.0.1
        authentication:
          anonymous: {enabled: false}
          webhook: {enabled: true}
          x509: {clientCAFile: %s}
        authorization: {mode: Webhook}
        clusterDomain: cluster.local
        clusterDNS: [%s]
        resolvConf: %s
        podLogsDir: %s
        failSwapOn: false
        serializeImagePulls: false
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        evictionHard: {memory.available: 100Mi, nodefs.available: 1%%, imagefs.available: 1%%, nodefs.inodesFree: 1%%}
        nodeStatusUpdateFrequency: 4s
        """.formatted(network.cgroupRoot(), containerdSocket, network.addresses().nodeIp(), kubernetes.caCert(),
        network.addresses().nodeIp(), resolvConf, Kubernetes.mkdirs(dir.resolve("pod-logs"))));
    process = new ManagedProcess("kubelet", network.prefix(List.of(binaries.kubelet().toString(),
        "--config", config.toString(), "--kubeconfig", kubeconfig.toString(),
        "--root-dir", Kubernetes.mkdirs(dir.resolve("root")).toString(),
        "--cert-dir", Kubernetes.mkdirs(dir.resolve("pki")).toString(),
        "--node-ip", network.addresses().nodeIp(), "--hostname-override", nodeName, "-v", "1")),
        dir.resolve("kubelet.log")).start();
    return this;
  }

  /** Waits until the Node is Ready and no longer tainted not-ready (so the scheduler places pods on it). */
  public void awaitReady(KubernetesClient client, Duration timeout) {
    Net.await("node " + nodeName + " Ready and untainted", timeout, () -> ready(client.nodes().withName(nodeName).get()),
        process);
  }

  static boolean ready(Node node) {
    return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
        && (node.getSpec().getTaints() == null || node.getSpec().getTaints().stream()
            .noneMatch(t -> t.getKey().startsWith("node.kubernetes.io/not-ready")));
  }

  public ManagedProcess process() {
    return process;
  }

  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(10));
    }
  }
}
