package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodePreflightTest {
  private static final NodePreflight.HostFacts FIT = new NodePreflight.HostFacts(0, "nodev\tproc\nnodev\toverlay\n",
      Set.copyOf(NodePreflight.CGROUP_CONTROLLERS), Set.copyOf(NodePreflight.TOOLS), true, true);

  @Test
  void aFitHostPassesEveryCheck() {
    assertThat(NodePreflight.failures(FIT)).isEmpty();
  }

  @Test
  void eachFailedCheckIsNamed() {
    Set<String> cgroups = new HashSet<>(NodePreflight.CGROUP_CONTROLLERS);
    cgroups.remove("memory");
    var host = new NodePreflight.HostFacts(1000, "nodev\tproc\n", cgroups, Set.of("ip", "mount", "umount"), false,
        false);
    assertThat(NodePreflight.failures(host)).satisfiesExactly(
        f -> assertThat(f).startsWith("not root (uid 1000)"),
        f -> assertThat(f).startsWith("no overlayfs"),
        f -> assertThat(f).startsWith("cgroup v1 controllers [memory] not mounted"),
        f -> assertThat(f).startsWith("missing commands [nsenter, iptables]"),
        f -> assertThat(f).startsWith("no network namespaces"),
        f -> assertThat(f).startsWith("no /proc/sys/net/bridge"));
  }

  @Test
  void aCgroupV2OnlyHostIsRefusedWithAReason() {
    var host = new NodePreflight.HostFacts(0, FIT.filesystems(), Set.of(), FIT.tools(), true, true);
    assertThat(NodePreflight.failures(host)).singleElement().asString().contains("cgroup v2-only host is not supported");
  }
}
