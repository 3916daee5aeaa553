package dev.plonk.queue;

import dev.plonk.devstack.ManagedProcess;
import dev.plonk.devstack.Net;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The worker as a separate JVM (same class path as the test), so a test can kill -9 it. */
public final class WorkerProcess implements AutoCloseable {
  private final int metricsPort = Net.freePort();
  private final ManagedProcess process;

  public WorkerProcess(String name, List<String> flags) throws IOException {
    Path log = Files.createDirectories(Path.of("target", "worker-logs")).resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-cp", System.getProperty("java.class.path"), QueueWorkerMain.class.getName(),
        "--bind", "127.0.0.1", "--port", Integer.toString(metricsPort)));
    command.addAll(flags);
    process = new ManagedProcess("queue-worker-" + name, command, log);
  }

  public WorkerProcess start() {
    process.start();
    Net.await("queue-worker /healthz", Duration.ofSeconds(30), () -> Net.isOk(url() + "/healthz"), process);
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + metricsPort;
  }

  /** kill -9. */
  void kill() {
    process.kill();
  }

  /** SIGTERM and wait for the graceful exit. */
  void stop() {
    process.stop(Duration.ofSeconds(30));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String logTail() {
    return process.tail(40);
  }

  /** The value of one sample line of /metrics, e.g. {@code plonk_queue_retries_total}. */
  Optional<Double> metric(String sample) throws IOException, InterruptedException {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher matcher = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    return matcher.find() ? Optional.of(Double.parseDouble(matcher.group(1))) : Optional.empty();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
  }
}
