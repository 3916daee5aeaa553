package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A devstack JVM killed with SIGKILL (no shutdown hooks run) must not leave its components behind:
 * the per-process watchdogs stop them.
 */
class WatchdogIT {

  @Test
  void componentsDieWithTheirJvmEvenOnKill9(@TempDir Path dir) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        DevStackMain.class.getName(), "--dir", dir.resolve("run").toString(), "--no-kubernetes")
        .redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
    try {
      Path env = dir.resolve("run/devstack.env");
      Net.await("devstack.env from the child JVM", Duration.ofSeconds(60), () -> Files.exists(env), null);
      Properties props = new Properties();
      try (var in = Files.newInputStream(env)) {
        props.load(in);
      }
      Map<String, Long> pids = props.stringPropertyNames().stream().filter(k -> k.startsWith("PID_"))
          .collect(Collectors.toMap(k -> k, k -> Long.parseLong(props.getProperty(k))));
      assertThat(pids).containsOnlyKeys("PID_PROMETHEUS", "PID_NATS_SERVER");
      assertThat(pids.values()).allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

      jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

      List<Long> survivors = pids.values().stream().toList();
      Net.await("components of the killed JVM to exit", Duration.ofSeconds(20),
          () -> survivors.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)),
          null);
    } finally {
      jvm.destroyForcibly();
    }
  }
}
