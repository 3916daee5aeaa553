package dev.plonk.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Prometheus (Debian package) on a free loopback port. Scrape targets are added at run time through
 * {@code file_sd}; the scrape interval is configurable (tests use 1s).
 */
public final class Prometheus {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final Path dir;
  private final Path targets;
  private final int port = Net.freePort();
  private final ManagedProcess process;

  public Prometheus(Path dir, Duration scrapeInterval) {
    this.dir = dir;
    this.targets = Kubernetes.mkdirs(dir.resolve("targets"));
    String interval = scrapeInterval.toMillis() + "ms";
    String config = """
        global:
          scrape_interval: %s
          evaluation_interval: %s
        rule_files: ['%s/*.rules.yaml']
        scrape_configs:
        - job_name: file_sd
          file_sd_configs:
          - files: ['%s/*.json']
            refresh_interval: 1s
        """.formatted(interval, interval, ProjectLayout.prometheusRules(), targets);
    write(dir.resolve("prometheus.yml"), config);
    process = new ManagedProcess("prometheus", List.of(binary(),
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + Kubernetes.mkdirs(dir.resolve("data")),
        "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-lifecycle",
        "--log.level=warn"), dir.resolve("prometheus.log"));
  }

  private static String binary() {
    return Net.executable("prometheus").orElseThrow(() -> new DevStackException("prometheus is not installed: run ./plonk test "
        + "(it installs it) or apt-get install -y prometheus"));
  }


  public Prometheus start() {
    process.start();
    Net.await("prometheus " + baseUrl() + "/-/ready", Duration.ofSeconds(60), () -> Net.isOk(baseUrl() + "/-/ready"), process);
    return this;
  }

  /** Stops it (same port, same data) so a test can simulate an unreachable Prometheus; {@link #start()} again. */
  public void stop() {
    process.stop(Duration.ofSeconds(10));
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public ManagedProcess process() {
    return process;
  }

  /**
   * Scrapes {@code hostPort} at {@code metricsPath} with the given extra labels ({@code job} defaults to {@code name}),
   * until the returned target is closed.
   */
  public ScrapeTarget addTarget(String name, String hostPort, String metricsPath, Map<String, String> labels) {
    ObjectNode group = JSON.createObjectNode();
    group.putArray("targets").add(hostPort);
    ObjectNode labelNode = group.putObject("labels");
    labelNode.put("job", name);
    labelNode.put("__metrics_path__", metricsPath);
    labels.forEach(labelNode::put);
    ArrayNode file = JSON.createArrayNode().add(group);
    Path target = targets.resolve(name + ".json");
    Path tmp = targets.resolve(name + ".json.tmp");
    try {
      write(tmp, JSON.writeValueAsString(file));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new DevStackException("cannot write scrape target " + target + ": " + e.getMessage(), e);
    }
    return () -> {
      try {
        Files.deleteIfExists(target);
      } catch (IOException e) {
        throw new DevStackException("cannot remove scrape target " + target, e);
      }
    };
  }

  public ScrapeTarget addTarget(String name, String hostPort) {
    return addTarget(name, hostPort, "/metrics", Map.of());
  }

  /** Runs an instant query and returns the {@code data} node of the answer. */
  public JsonNode query(String promql) {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** GETs an HTTP API path ({@code /api/v1/...}) and returns the {@code data} node of a successful answer. */
  public JsonNode get(String apiPath) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + apiPath))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      if (!"success".equals(body.path("status").asText())) {
        throw new DevStackException("GET " + apiPath + " failed: " + response.body());
      }
      return body.path("data");
    } catch (IOException e) {
      throw new DevStackException("GET " + apiPath + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted on GET " + apiPath, e);
    }
  }

  /** The value of the first sample of an instant vector or scalar, if any. */
  public Optional<Double> queryValue(String promql) {
    JsonNode data = query(promql);
    JsonNode result = data.path("result");
    JsonNode value = "scalar".equals(data.path("resultType").asText()) ? result
        : result.isArray() && !result.isEmpty() ? result.get(0).path("value") : null;
    return value == null ? Optional.empty() : Optional.of(Double.parseDouble(value.get(1).asText()));
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new DevStackException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** A registered scrape target; closing it removes it from the file_sd folder. */
  @FunctionalInterface
  public interface ScrapeTarget extends AutoCloseable {
    @Override
    void close();
  }
}
