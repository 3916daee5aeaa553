package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@DevStackTest(kubernetes = false, prometheus = true)
class PrometheusIT {

  @Test
  void scrapesARegisteredTargetAndAnswersQueries(Prometheus prometheus) throws Exception {
    AtomicLong counter = new AtomicLong(41);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/custom-metrics", exchange -> {
      byte[] body = ("# HELP plonk_devstack_test_total A counter the test controls.\n"
          + "# TYPE plonk_devstack_test_total counter\n"
          + "plonk_devstack_test_total{kind=\"probe\"} " + counter.get() + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    String target = "127.0.0.1:" + server.getAddress().getPort();
    try (var registration = prometheus.addTarget("prometheus-it", target, "/custom-metrics", Map.of("team", "plonk"))) {
      String query = "plonk_devstack_test_total{job=\"prometheus-it\",team=\"plonk\",kind=\"probe\"}";
      assertThat(awaitValue(prometheus, query, v -> v == 41.0)).contains(41.0);
      counter.set(42);
      assertThat(awaitValue(prometheus, query, v -> v == 42.0)).contains(42.0);
      assertThat(prometheus.queryValue("up{job=\"prometheus-it\"}")).contains(1.0);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void emptyVectorIsEmpty(Prometheus prometheus) {
    assertThat(prometheus.queryValue("no_such_metric_anywhere")).isEmpty();
  }

  static Optional<Double> awaitValue(Prometheus prometheus, String query, java.util.function.DoublePredicate done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Optional<Double> value = Optional.empty();
    while (System.nanoTime() < deadline) {
      value = prometheus.queryValue(query);
      if (value.isPresent() && done.test(value.get())) {
        return value;
      }
      Thread.sleep(200);
    }
    return value;
  }
}
