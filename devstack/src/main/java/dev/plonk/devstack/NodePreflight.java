package dev.plonk.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks that this host can run a devstack node before anything is started, and names every check that failed.
 * There is no fallback: a host that fails a check gets no node.
 */
public final class NodePreflight {
  /** The cgroup v1 controllers the kubelet (cgroupfs driver) and runc need. */
  static final List<String> CGROUP_CONTROLLERS = List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer");
  static final List<String> TOOLS = List.of("ip", "nsenter", "iptables", "mount", "umount");

  /** What the checks look at; {@link #ofThisHost()} reads it from the machine. */
  public record HostFacts(long uid, String filesystems, Set<String> cgroupControllers, Set<String> tools,
      boolean netnsSupported, boolean bridgeNetfilter) {}

  private NodePreflight() {}

  /** The failed checks, each one line saying what is missing and how to get it; empty when the host is fit. */
  public static List<String> failures(HostFacts host) {
    List<String> failed = new ArrayList<>();
    if (host.uid() != 0) {
      failed.add("not root (uid " + host.uid() + "): the node creates network namespaces, mounts and cgroups; "
          + "run as root");
    }
    if (!host.filesystems().lines().anyMatch(l -> l.trim().endsWith("overlay"))) {
      failed.add("no overlayfs in /proc/filesystems: containerd's overlayfs snapshotter needs it (modprobe overlay)");
    }
    List<String> missingCgroups = CGROUP_CONTROLLERS.stream().filter(c -> !host.cgroupControllers().contains(c)).toList();
    if (!missingCgroups.isEmpty()) {
      failed.add("cgroup v1 controllers " + missingCgroups + " not mounted under /sys/fs/cgroup "
          + "(the node supports cgroup v1 or hybrid hosts; a cgroup v2-only host is not supported yet)");
    }
    List<String> missingTools = TOOLS.stream().filter(t -> !host.tools().contains(t)).toList();
    if (!missingTools.isEmpty()) {
      failed.add("missing commands " + missingTools + " (apt-get install iproute2 util-linux iptables)");
    }
    if (!host.netnsSupported()) {
      failed.add("no network namespaces (/proc/self/ns/net absent): the kernel lacks CONFIG_NET_NS");
    }
    if (!host.bridgeNetfilter()) {
      failed.add("no /proc/sys/net/bridge: Services between pods need br_netfilter (modprobe br_netfilter)");
    }
    return failed;
  }

  /** Fails with every failed check named, or returns when the host can run a node. */
  public static void check() {
    List<String> failed = failures(ofThisHost());
    if (!failed.isEmpty()) {
      throw new DevStackException("this host cannot run the devstack node; failed checks:\n  - "
          + String.join("\n  - ", failed));
    }
  }

  public static HostFacts ofThisHost() {
    Path cgroup = Path.of("/sys/fs/cgroup");
    Set<String> controllers = CGROUP_CONTROLLERS.stream()
        .filter(c -> Files.isRegularFile(cgroup.resolve(c).resolve("cgroup.procs"))).collect(Collectors.toSet());
    Set<String> tools = TOOLS.stream().filter(t -> Net.executable(t).isPresent()).collect(Collectors.toSet());
    return new HostFacts(uid(), read(Path.of("/proc/filesystems")), controllers, tools,
        Files.exists(Path.of("/proc/self/ns/net")), Files.isDirectory(Path.of("/proc/sys/net/bridge")));
  }

  private static long uid() {
    Map<String, String> status = new TreeMap<>();
    read(Path.of("/proc/self/status")).lines().map(l -> l.split(":\\s*", 2)).filter(p -> p.length == 2)
        .forEach(p -> status.put(p[0], p[1]));
    String uid = status.getOrDefault("Uid", "-1").split("\\s+")[0];
    return Long.parseLong(uid);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
