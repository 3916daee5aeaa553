package dev.plonk.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * kube-proxy (iptables mode) inside the node's network namespace, as {@code system:kube-proxy}: its KUBE-* chains
 * exist only in that namespace, so several devstack nodes never share them, and they vanish with it.
 */
public final class KubeProxy {
  private final Path dir;
  private final NodeBinaries binaries;
  private final NodeNetwork network;
  private final Kubernetes kubernetes;
  private ManagedProcess process;

  public KubeProxy(Path dir, NodeBinaries binaries, NodeNetwork network, Kubernetes kubernetes) {
    this.dir = Kubernetes.mkdirs(dir);
    this.binaries = binaries;
    this.network = network;
    this.kubernetes = kubernetes;
  }

  public KubeProxy start(String nodeName) {
    NodeAddresses a = network.addresses();
    Path config = dir.resolve("kube-proxy.yaml");
    Containerd.write(config, """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        clientConnection:
          kubeconfig: %s
        mode: iptables
        clusterCIDR: %s
        hostnameOverride: %s
        healthzBindAddress: %s:10256
        metricsBindAddress: 127.0.0.1:10249
        nodePortAddresses: [%s/32]
        conntrack:
          maxPerCore: 0
          min: 0
          tcpEstablishedTimeout: 0s
          tcpCloseWaitTimeout: 0s
        iptables:
          minSyncPeriod: 0s
          syncPeriod: 30s
        """.formatted(kubernetes.kubeconfigFor("system:kube-proxy"), a.clusterCidr(), nodeName, a.nodeIp(), a.nodeIp()));
    process = new ManagedProcess("kube-proxy", network.prefix(List.of(binaries.kubeProxy().toString(),
        "--config", config.toString(), "-v", "1")), dir.resolve("kube-proxy.log"),
        java.util.Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin")).start();
    Net.await("kube-proxy healthz on " + a.nodeIp() + ":10256", Duration.ofSeconds(60),
        () -> Net.isOk("http://" + a.nodeIp() + ":10256/healthz"), process);
    return this;
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
