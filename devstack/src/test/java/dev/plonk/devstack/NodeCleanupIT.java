package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A devstack JVM with a real node and a running pod, killed with SIGKILL (no shutdown hook runs): its janitor must
 * still remove every process (components, shims, the pod's containers), mount, cgroup and the network namespace.
 */
class NodeCleanupIT {

  @Test
  void aKilledJvmLeavesNoNodeBehind(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        DevStackMain.class.getName(), "--dir", run.toString(), "--node")
        .redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
    Properties env = new Properties();
    String netns;
    try {
      Path envFile = run.resolve("devstack.env");
      Net.await("devstack.env from the child JVM (log " + dir.resolve("jvm.log") + ")", Duration.ofSeconds(300),
          () -> Files.exists(envFile) || !jvm.isAlive(), null);
      assertThat(jvm.isAlive()).as("child JVM alive; its log:\n%s", Files.readString(dir.resolve("jvm.log"))).isTrue();
      try (var in = Files.newInputStream(envFile)) {
        env.load(in);
      }
      netns = env.getProperty("NODE_NETNS");
      String kubectl = env.getProperty("KUBECTL");
      String kubeconfig = env.getProperty("KUBECONFIG");
      Commands.run(60, kubectl, "--kubeconfig", kubeconfig, "run", "sleeper", "--image", NodeBinaries.PAUSE_IMAGE,
          "--image-pull-policy", "Never", "--restart", "Never");
      Commands.run(150, kubectl, "--kubeconfig", kubeconfig, "wait", "--for=condition=Ready", "pod/sleeper",
          "--timeout=140s");
      assertThat(cgroupProcs(netns)).isNotEmpty();
      assertThat(mountsUnder(run)).isNotEmpty();
    } finally {
      jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    List<Long> pids = env.stringPropertyNames().stream().filter(k -> k.startsWith("PID_"))
        .map(k -> Long.parseLong(env.getProperty(k))).toList();
    assertThat(pids).hasSizeGreaterThanOrEqualTo(8);
    // the janitor follows the JVM within a second or two; the per-process watchdogs give each process 5 s after TERM
    Net.await("the killed JVM's node and processes to be gone", Duration.ofSeconds(60),
        () -> !NodeNetwork.exists(netns)
            && pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)), null);
    assertThat(mountsUnder(run)).isEmpty();
    assertThat(Files.exists(Path.of("/sys/fs/cgroup/memory", netns))).isFalse();
    assertThat(Commands.run(10, "ip", "link")).doesNotContain(netns + "h");
  }

  private static List<String> mountsUnder(Path dir) throws Exception {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
        .filter(m -> m.startsWith(dir + "/")).toList();
  }

  private static String cgroupProcs(String netns) {
    return Commands.run(10, "bash", "-c", "find /sys/fs/cgroup/memory/" + netns + " -name cgroup.procs -exec cat {} +");
  }
}
