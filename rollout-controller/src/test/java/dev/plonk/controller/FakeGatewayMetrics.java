package dev.plonk.controller;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test HTTP endpoint serving the gateway's per-backend series ({@code plonk_gateway_backend_requests_total} and the
 * duration histogram) with request and error rates the test sets; counters grow with wall-clock time between scrapes.
 */
final class FakeGatewayMetrics implements AutoCloseable {
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  private final HttpServer server;
  private final Map<String, Backend> backends = new ConcurrentHashMap<>();

  FakeGatewayMetrics() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", ex -> {
      byte[] body = render().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
  }

  String hostPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** From now on the backend serves {@code okPerSecond} 200s and {@code errorsPerSecond} 500s taking {@code latencySeconds}. */
  void set(String namespace, String function, String backend, double okPerSecond, double errorsPerSecond,
      double latencySeconds) {
    backends.computeIfAbsent(namespace + "/" + function + "/" + backend, k -> new Backend(namespace, function, backend))
        .set(okPerSecond, errorsPerSecond, latencySeconds);
  }

  private String render() {
    StringBuilder out = new StringBuilder();
    out.append("# TYPE plonk_gateway_backend_requests_total counter\n");
    out.append("# TYPE plonk_gateway_backend_request_duration_seconds histogram\n");
    for (Backend b : backends.values()) {
      b.render(out);
    }
    return out.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static final class Backend {
    private final String labels;
    private double ok;
    private double errors;
    private double okRate;
    private double errorRate;
    private double latency;
    private final double[] bucketCounts = new double[BUCKETS.length];
    private double sum;
    private long last = System.nanoTime();

    Backend(String namespace, String function, String backend) {
      labels = "namespace=\"" + namespace + "\",function=\"" + function + "\",backend=\"" + backend + "\"";
    }

    synchronized void set(double okPerSecond, double errorsPerSecond, double latencySeconds) {
      advance();
      okRate = okPerSecond;
      errorRate = errorsPerSecond;
      latency = latencySeconds;
    }

    private void advance() {
      long now = System.nanoTime();
      double seconds = (now - last) / 1e9;
      last = now;
      double n = (okRate + errorRate) * seconds;
      ok += okRate * seconds;
      errors += errorRate * seconds;
      sum += n * latency;
      for (int i = 0; i < BUCKETS.length; i++) {
        if (latency <= BUCKETS[i]) {
          bucketCounts[i] += n;
        }
      }
    }

    synchronized void render(StringBuilder out) {
      advance();
      out.append(line("plonk_gateway_backend_requests_total", labels + ",code=\"200\"", ok));
      out.append(line("plonk_gateway_backend_requests_total", labels + ",code=\"500\"", errors));
      for (int i = 0; i < BUCKETS.length; i++) {
        out.append(line("plonk_gateway_backend_request_duration_seconds_bucket", labels + ",le=\"" + BUCKETS[i] + "\"",
            bucketCounts[i]));
      }
      out.append(line("plonk_gateway_backend_request_duration_seconds_bucket", labels + ",le=\"+Inf\"", ok + errors));
      out.append(line("plonk_gateway_backend_request_duration_seconds_count", labels, ok + errors));
      out.append(line("plonk_gateway_backend_request_duration_seconds_sum", labels, sum));
    }

    private static String line(String name, String labels, double value) {
      return name + "{" + labels + "} " + String.format(Locale.ROOT, "%.6f", value) + "\n";
    }
  }
}
