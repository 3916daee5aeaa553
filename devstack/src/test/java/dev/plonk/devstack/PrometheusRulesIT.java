package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Plonk's rules ({@code deploy/prometheus/rules}) as Prometheus runs them: promtool accepts them and their unit tests
 * (every alert firing and not firing) pass, the devstack's Prometheus loads both groups, and an alert fires on real
 * scraped data.
 */
@DevStackTest(kubernetes = false, prometheus = true)
class PrometheusRulesIT {

  @Test
  void promtoolChecksTheRulesAndTheirUnitTestsPass() throws Exception {
    Path rules = ProjectLayout.prometheusRules();
    assertThat(promtool(rules, "check", "rules", "plonk.rules.yaml")).contains("SUCCESS: 9 rules found");
    assertThat(promtool(rules, "test", "rules", "plonk.rules.test.yaml")).contains("SUCCESS");
  }

  @Test
  void theDevstackPrometheusLoadsTheRulesAndAFailedRolloutFires(Prometheus prometheus) throws Exception {
    JsonNode groups = prometheus.get("/api/v1/rules").path("groups");
    assertThat(StreamSupport.stream(groups.spliterator(), false).map(g -> g.path("name").asText()))
        .contains("plonk.versions", "plonk.alerts");
    // "unknown" until a rule's first evaluation, "err" if Prometheus cannot evaluate it
    assertThat(groups.findValues("health")).allSatisfy(h -> assertThat(h.asText()).isIn("ok", "unknown"));

    HttpServer controller = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    controller.createContext("/metrics", exchange -> {
      byte[] body = "plonk_rollout_status{namespace=\"rules-it\",name=\"echo\",phase=\"Failed\"} 1\n"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    controller.start();
    try (var target = prometheus.addTarget("plonk-rollout-controller",
        "127.0.0.1:" + controller.getAddress().getPort(), "/metrics", Map.of())) {
      JsonNode alert = awaitFiring(prometheus, "PlonkRolloutFailed");
      assertThat(alert.path("labels").path("namespace").asText()).isEqualTo("rules-it");
      assertThat(alert.path("labels").path("severity").asText()).isEqualTo("warning");
      assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("Rollout rules-it/echo failed and was rolled back");
    } finally {
      controller.stop(0);
    }
  }

  /** The alert once Prometheus reports it firing (it keeps firing while the series is scraped). */
  private static JsonNode awaitFiring(Prometheus prometheus, String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      for (JsonNode alert : prometheus.get("/api/v1/alerts").path("alerts")) {
        seen.add(alert.path("labels").path("alertname").asText() + "=" + alert.path("state").asText());
        if (name.equals(alert.path("labels").path("alertname").asText()) && "firing".equals(alert.path("state").asText())) {
          return alert;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError(name + " never fired within 60 s; alerts seen: " + seen);
  }

  private static String promtool(Path dir, String... args) throws IOException, InterruptedException {
    String promtool = Net.executable("promtool").orElseThrow(() -> new AssertionError(
        "promtool is not installed: run ./plonk test (it installs the Debian package prometheus) or apt-get install -y prometheus"));
    List<String> command = new ArrayList<>(List.of(promtool));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
    return output;
  }
}
