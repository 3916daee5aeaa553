package dev.plonk.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The node's binaries, built from Go modules by {@code devstack/build-node.sh} and cached under
 * {@code ~/.cache/plonk/<name>-<version>/}, the CNI plugins among them, and the pause image tarball.
 */
public record NodeBinaries(Path kubelet, Path kubeControllerManager, Path kubeScheduler, Path kubeProxy,
    Path containerdDir, Path runc, Path coredns, Path crictl, Path cniDir, Path pauseImage) {
  public static final String CONTAINERD_VERSION = ControlPlaneBinaries.env("PLONK_CONTAINERD_VERSION", "v2.4.2");
  public static final String RUNC_VERSION = ControlPlaneBinaries.env("PLONK_RUNC_VERSION", "v1.4.3");
  public static final String COREDNS_VERSION = ControlPlaneBinaries.env("PLONK_COREDNS_VERSION", "v1.14.7");
  public static final String CRICTL_VERSION = ControlPlaneBinaries.env("PLONK_CRICTL_VERSION", "v1.37.0");
  public static final String CNI_VERSION = ControlPlaneBinaries.env("PLONK_CNI_VERSION", "v1.9.1");
  /** The CNI plugins the node's network config uses. */
  static final List<String> CNI_PLUGINS = List.of("bridge", "host-local", "portmap", "loopback");
  /** Bumped with {@code PAUSE_VERSION} in build-node.sh when devstack/images/pause changes. */
  public static final String PAUSE_IMAGE = "plonk.local/pause:1";

  /** The cached binaries, built first if any is missing. */
  public static NodeBinaries ensure() {
    NodeBinaries binaries = cached();
    if (!binaries.present()) {
      ControlPlaneBinaries.runBuildScript("devstack/build-node.sh", "node binaries");
    }
    if (!binaries.present()) {
      throw new DevStackException("node binaries still missing after devstack/build-node.sh: " + binaries);
    }
    return binaries;
  }

  static NodeBinaries cached() {
    Path cache = ControlPlaneBinaries.cacheDir();
    String k8s = ControlPlaneBinaries.K8S_VERSION;
    return new NodeBinaries(
        cache.resolve("kubelet-" + k8s).resolve("kubelet"),
        cache.resolve("kube-controller-manager-" + k8s).resolve("kube-controller-manager"),
        cache.resolve("kube-scheduler-" + k8s).resolve("kube-scheduler"),
        cache.resolve("kube-proxy-" + k8s).resolve("kube-proxy"),
        cache.resolve("containerd-" + CONTAINERD_VERSION),
        cache.resolve("runc-" + RUNC_VERSION).resolve("runc"),
        cache.resolve("coredns-" + COREDNS_VERSION).resolve("coredns"),
        cache.resolve("crictl-" + CRICTL_VERSION).resolve("crictl"),
        cache.resolve("cni-plugins-" + CNI_VERSION),
        cache.resolve("pause-" + PAUSE_IMAGE.substring(PAUSE_IMAGE.lastIndexOf(':') + 1)).resolve("pause.tar"));
  }

  public Path containerd() {
    return containerdDir.resolve("containerd");
  }

  public Path ctr() {
    return containerdDir.resolve("ctr");
  }

  private boolean present() {
    return List.of(kubelet, kubeControllerManager, kubeScheduler, kubeProxy, containerd(),
            containerdDir.resolve("containerd-shim-runc-v2"), ctr(), runc, coredns, crictl).stream()
        .allMatch(Files::isExecutable) && CNI_PLUGINS.stream().allMatch(p -> Files.isExecutable(cniDir.resolve(p)))
        && Files.isRegularFile(pauseImage);
  }
}
