package dev.plonk.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real nats-server (Debian package) with JetStream on file storage in a temp folder, on a free loopback port.
 * {@link #restart()} keeps the port and the store, so persisted streams survive.
 */
public final class Nats {
  private final int port = Net.freePort();
  private final int monitorPort = Net.freePort();
  private final ManagedProcess process;

  public Nats(Path dir) {
    Path config = dir.resolve("nats.conf");
    try {
      Files.writeString(config, """
          server_name: plonk-devstack
          listen: 127.0.0.1:%d
          http: 127.0.0.1:%d
          jetstream {
            store_dir: "%s"
          }
          """.formatted(port, monitorPort, Kubernetes.mkdirs(dir.resolve("jetstream"))));
    } catch (IOException e) {
      throw new DevStackException("cannot write " + config + ": " + e.getMessage(), e);
    }
    process = new ManagedProcess("nats-server", List.of(binary(), "-c", config.toString()), dir.resolve("nats.log"));
  }

  private static String binary() {
    return Net.executable("nats-server").orElseThrow(() -> new DevStackException("nats-server is not installed: run ./plonk test "
        + "(it installs it) or apt-get install -y nats-server"));
  }


  public Nats start() {
    process.start();
    String health = "http://127.0.0.1:" + monitorPort + "/healthz?js-enabled-only=true";
    Net.await("nats-server JetStream " + health, Duration.ofSeconds(30), () -> Net.isOk(health), process);
    return this;
  }

  public void stop() {
    process.stop(Duration.ofSeconds(10));
  }

  /** Graceful stop and start on the same port with the same JetStream store. */
  public void restart() {
    stop();
    start();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  public String monitorUrl() {
    return "http://127.0.0.1:" + monitorPort;
  }

  public ManagedProcess process() {
    return process;
  }
}
