package dev.plonk.devstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process started by the devstack: output goes to a log file, and a watchdog shell kills it
 * when this JVM dies, even by {@code kill -9}, so no component outlives the run that started it.
 */
public final class ManagedProcess {
  private final String name;
  private final List<String> command;
  private final Path log;
  private final Map<String, String> env;
  private Process process;
  private Process watchdog;

  public ManagedProcess(String name, List<String> command, Path log) {
    this(name, command, log, Map.of());
  }

  /** A process with extra environment variables on top of this JVM's. */
  public ManagedProcess(String name, List<String> command, Path log, Map<String, String> env) {
    this.name = name;
    this.command = List.copyOf(command);
    this.log = log;
    this.env = Map.copyOf(env);
  }

  public synchronized ManagedProcess start() {
    if (isAlive()) {
      return this;
    }
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(env);
      process = builder.start();
      long jvm = ProcessHandle.current().pid();
      long child = process.pid();
      // Polls the JVM once a second; when it is gone, TERM then KILL the child.
      String script = "while kill -0 " + jvm + " 2>/dev/null && kill -0 " + child + " 2>/dev/null; do sleep 1; done; "
          + "kill -TERM " + child + " 2>/dev/null; sleep 5; kill -KILL " + child + " 2>/dev/null; exit 0";
      watchdog = new ProcessBuilder("bash", "-c", script)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new DevStackException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
    }
    return this;
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  /** SIGTERM, wait up to {@code grace}, then SIGKILL. Idempotent. */
  public synchronized void stop(Duration grace) {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (watchdog != null) {
      watchdog.destroyForcibly();
    }
  }

  /** SIGKILL now: simulates a crash. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (watchdog != null) {
      watchdog.destroyForcibly();
    }
  }

  /** The last lines of the log, for error messages. */
  public String tail(int lines) {
    try {
      List<String> all = java.nio.file.Files.readAllLines(log);
      return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }
}
