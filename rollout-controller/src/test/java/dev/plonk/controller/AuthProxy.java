package dev.plonk.controller;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The devstack's Prometheus behind credentials, on loopback: a request whose {@code Authorization} is one of
 * {@code accepted} is forwarded to Prometheus and its answer returned; any other gets 401 (plain text, as a reverse
 * proxy answers) and is counted. Only {@code GET /api/v1/query} is forwarded.
 */
final class AuthProxy implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger forwarded = new AtomicInteger();

  AuthProxy(String prometheus, Set<String> accepted) throws IOException {
    this(prometheus, accepted, null);
  }

  /** @param tls serve HTTPS with this context (a self-signed certificate in tests); null: plain HTTP */
  AuthProxy(String prometheus, Set<String> accepted, javax.net.ssl.SSLContext tls) throws IOException {
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(loopback, 64);
    } else {
      com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(loopback, 64);
      https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
      server = https;
    }
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "auth-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/api/v1/query", exchange -> {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      int status;
      byte[] body;
      if (authorization == null || !accepted.contains(authorization)) {
        refused.incrementAndGet();
        status = 401;
        body = "401 Unauthorized\n".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"prometheus\"");
      } else {
        forwarded.incrementAndGet();
        try {
          HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/query?"
              + exchange.getRequestURI().getRawQuery())).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
          status = answer.statusCode();
          body = answer.body();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          status = 502;
          body = new byte[0];
        }
      }
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  String url() {
    return (server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http") + "://127.0.0.1:"
        + server.getAddress().getPort();
  }

  int refused() {
    return refused.get();
  }

  int forwarded() {
    return forwarded.get();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
