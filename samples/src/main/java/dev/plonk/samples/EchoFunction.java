package dev.plonk.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sample function: echoes the request body, with knobs for rollouts and tests, read from the environment
 * (as a function's envVars would be) and overridable per request with query parameters:
 * <ul>
 *   <li>{@code BIND} (listen address, default 127.0.0.1; 0.0.0.0 in a pod), {@code PORT} (default 8080),
 *       {@code VERSION} (echoed in the {@code X-Function-Version} header, default "v1");
 *   <li>{@code FAIL_RATE} / {@code ?fail=} — fraction of requests answered 500, 0..1 (default 0);
 *   <li>{@code LATENCY_MS} / {@code ?latency=} — added latency in milliseconds (default 0);
 *   <li>{@code UNREADY_FILE} — while this file exists, {@code GET /_/health} answers 503 (default: none).
 * </ul>
 * {@code GET /_/health} answers 200 for readiness probes (503 while {@code UNREADY_FILE} exists: a test's switch to fail
 * the probe on purpose). Under Linkerd, the caller's mesh identity (the
 * {@code l5d-client-id} header the function's proxy sets on mTLS connections) is echoed as {@code X-Caller-Identity}.
 */
public final class EchoFunction {
  static final String MESH_CLIENT_ID = "l5d-client-id";
  private final String version;
  private final double failRate;
  private final long latencyMs;
  private final Path unreadyFile;

  EchoFunction(String version, double failRate, long latencyMs) {
    this(version, failRate, latencyMs, null);
  }

  EchoFunction(String version, double failRate, long latencyMs, Path unreadyFile) {
    this.version = version;
    this.failRate = failRate;
    this.latencyMs = latencyMs;
    this.unreadyFile = unreadyFile;
  }

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(env("PORT", "8080"));
    String unreadyFile = env("UNREADY_FILE", null);
    EchoFunction function = new EchoFunction(env("VERSION", "v1"), Double.parseDouble(env("FAIL_RATE", "0")),
        Long.parseLong(env("LATENCY_MS", "0")), unreadyFile == null ? null : Path.of(unreadyFile));
    String bind = env("BIND", "127.0.0.1");
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 1024);
    server.setExecutor(Executors.newFixedThreadPool(32));
    server.createContext("/", function::handle);
    server.start();
    System.err.println("echo function " + function.version + " listening on " + bind + ":" + port);
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      String caller = exchange.getRequestHeaders().getFirst(MESH_CLIENT_ID);
      if (caller != null) {
        exchange.getResponseHeaders().add("X-Caller-Identity", caller);
      }
      if (exchange.getRequestURI().getPath().equals("/_/health")) {
        boolean unready = unreadyFile != null && Files.exists(unreadyFile);
        respond(exchange, unready ? 503 : 200, (unready ? "not ready: " + unreadyFile + " exists" : "ok")
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      String query = exchange.getRequestURI().getRawQuery();
      long latency = (long) param(query, "latency", latencyMs);
      double fail = param(query, "fail", failRate);
      if (latency > 0) {
        Thread.sleep(Math.min(latency, 60_000));
      }
      if (fail > 0 && ThreadLocalRandom.current().nextDouble() < fail) {
        respond(exchange, 500, ("{\"error\":\"injected failure (fail rate " + fail + ")\"}")
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      respond(exchange, 200, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("X-Function-Version", version);
    exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  static double param(String query, String name, double fallback) {
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith(name + "=")) {
          try {
            return Double.parseDouble(pair.substring(name.length() + 1));
          } catch (NumberFormatException e) {
            return fallback;
          }
        }
      }
    }
    return fallback;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
