package dev.plonk.main;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The admin endpoints of a Plonk process on {@code --bind}:{@code --port}: {@code /metrics} (Prometheus text),
 * {@code /healthz} (liveness) and {@code /readyz} (readiness). Each check answers 200 "ok", or 503 with the reason.
 */
public final class AdminServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * @param name      names the server's threads, e.g. {@code queue-worker}
   * @param liveness  null while alive, else why not ({@code /healthz})
   * @param readiness null while ready, else why not ({@code /readyz})
   */
  public AdminServer(String name, String host, int port, PrometheusRegistry registry, Supplier<String> liveness,
      Supplier<String> readiness) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/healthz", exchange -> check(exchange, liveness));
    server.createContext("/readyz", exchange -> check(exchange, readiness));
    server.createContext("/", exchange -> respond(exchange, 404, "not found; try /metrics, /healthz or /readyz\n"));
    executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "plonk-" + name + "-admin");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void check(HttpExchange exchange, Supplier<String> check) throws IOException {
    String problem = check.get();
    respond(exchange, problem == null ? 200 : 503, problem == null ? "ok\n" : problem + "\n");
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
    executor.shutdownNow();
  }
}
