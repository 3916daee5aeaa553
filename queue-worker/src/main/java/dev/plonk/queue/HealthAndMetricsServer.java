package dev.plonk.queue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** {@code /metrics} (Prometheus text format) and {@code /healthz} (200 "ok", or 503 with the reason). */
public final class HealthAndMetricsServer implements AutoCloseable {
  private final HttpServer server;

  /** @param health null when healthy, else why not */
  public HealthAndMetricsServer(String host, int port, PrometheusRegistry registry, Supplier<String> health)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/healthz", exchange -> {
      String problem = health.get();
      respond(exchange, problem == null ? 200 : 503, problem == null ? "ok\n" : problem + "\n");
    });
    server.createContext("/", exchange -> respond(exchange, 404, "not found; try /metrics or /healthz\n"));
    server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "plonk-queue-http");
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
