package dev.plonk.mesh.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Net;
import dev.plonk.devstack.Prometheus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Linkerd-format proxy metrics (what a meshed pod's proxy exposes on :4191, with the deployment and namespace labels
 * Linkerd's Prometheus adds) scraped by a real Prometheus, queried through the {@code linkerd} observer's PromQL.
 * The canary answers 90% success and every response lands in the (25, 50] ms bucket; the primary and the outbound
 * direction fail everything, so a selector that took them in would change the numbers.
 */
@DevStackTest(kubernetes = false, prometheus = true)
class LinkerdMetricsIT {

  @Test
  void successRateAndLatencyOfTheCanaryFromLinkerdProxyMetrics(Prometheus prometheus) throws Exception {
    AtomicLong scrapes = new AtomicLong();
    HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    proxy.createContext("/metrics", exchange -> {
      byte[] body = linkerdMetrics(scrapes.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    proxy.start();
    try (var target = prometheus.addTarget("linkerd-proxy", "127.0.0.1:" + proxy.getAddress().getPort(), "/metrics",
        Map.of())) {
      MetricsProvider provider = new PrometheusProvider(prometheus.baseUrl(), HttpClient.newHttpClient(), Duration.ofSeconds(5));
      MetricsObserver linkerd = new LinkerdObserver();
      MetricTarget canary = new MetricTarget("team-a", "echo", "echo");
      String successRate = linkerd.successRate(canary, Duration.ofSeconds(10));
      String p99 = linkerd.requestDurationP99(canary, Duration.ofSeconds(10));

      // a rate needs two scrapes inside the window
      Net.await("two scrapes of the Linkerd proxy metrics", Duration.ofSeconds(30),
          () -> prometheus.queryValue("count_over_time(response_total{deployment=\"echo\",classification=\"success\","
              + "direction=\"inbound\"}[10s])").orElse(0.0) >= 3, null);

      assertThat(provider.query(successRate)).isCloseTo(90.0, within(1e-6));
      assertThat(provider.query(p99)).isCloseTo(25 + 25 * 0.99, within(1e-6));
    } finally {
      proxy.stop(0);
    }
  }

  /** Cumulative counters after {@code n} scrapes: per scrape the canary serves 9 successes, 1 failure. */
  private static String linkerdMetrics(long n) {
    String canary = "namespace=\"team-a\",deployment=\"echo\",pod=\"echo-abc\"";
    String primary = "namespace=\"team-a\",deployment=\"echo-primary\",pod=\"echo-primary-xyz\"";
    return "# TYPE response_total counter\n"
        + "response_total{" + canary + ",direction=\"inbound\",classification=\"success\",status_code=\"200\"} " + 9 * n + "\n"
        + "response_total{" + canary + ",direction=\"inbound\",classification=\"failure\",status_code=\"500\"} " + n + "\n"
        + "response_total{" + canary + ",direction=\"outbound\",classification=\"failure\",status_code=\"503\"} " + 50 * n + "\n"
        + "response_total{" + primary + ",direction=\"inbound\",classification=\"failure\",status_code=\"500\"} " + 50 * n + "\n"
        + "# TYPE response_latency_ms histogram\n"
        + "response_latency_ms_bucket{" + canary + ",direction=\"inbound\",le=\"10\"} 0\n"
        + "response_latency_ms_bucket{" + canary + ",direction=\"inbound\",le=\"25\"} 0\n"
        + "response_latency_ms_bucket{" + canary + ",direction=\"inbound\",le=\"50\"} " + 10 * n + "\n"
        + "response_latency_ms_bucket{" + canary + ",direction=\"inbound\",le=\"+Inf\"} " + 10 * n + "\n"
        + "response_latency_ms_sum{" + canary + ",direction=\"inbound\"} " + 400 * n + "\n"
        + "response_latency_ms_count{" + canary + ",direction=\"inbound\"} " + 10 * n + "\n"
        + "response_latency_ms_bucket{" + primary + ",direction=\"inbound\",le=\"10\"} 0\n"
        + "response_latency_ms_bucket{" + primary + ",direction=\"inbound\",le=\"+Inf\"} " + 50 * n + "\n"
        + "response_latency_ms_sum{" + primary + ",direction=\"inbound\"} " + 50000 * n + "\n"
        + "response_latency_ms_count{" + primary + ",direction=\"inbound\"} " + 50 * n + "\n";
  }
}
