package dev.plonk.e2e.pods;

import com.sun.net.httpserver.HttpServer;
import dev.plonk.devstack.Net;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Async calls through the gateway pods and the callback receiver they end at: an HTTP server on this host (all
 * interfaces, since pods reach the host on its node-facing address), recording each callback's body and status.
 */
public final class Callbacks implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Integer> statusByBody = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final String callbackUrl;

  public Callbacks(Cluster cluster) throws IOException {
    int port = Net.freePort();
    server = HttpServer.create(new InetSocketAddress(port), 64);
    server.createContext("/callback", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String status = exchange.getRequestHeaders().getFirst("X-Function-Status");
      statusByBody.put(body, status == null ? -1 : Integer.parseInt(status));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    callbackUrl = "http://" + cluster.hostAddressForPods(port) + "/callback";
  }

  /** Queues {@code count} calls to {@code function} with bodies {@code <prefix>-<i>}; fails unless each is accepted (202). */
  public void send(String gatewayUrl, String function, String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/async-function/" + function))
          .timeout(Duration.ofSeconds(10)).header("X-Callback-Url", callbackUrl)
          .POST(HttpRequest.BodyPublishers.ofString(prefix + "-" + i)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 202) {
        throw new AssertionError("async call " + i + " answered " + response.statusCode() + ": " + response.body());
      }
    }
  }

  /** Bodies of the callbacks received with the function's status 200 and the given prefix. */
  public Set<String> succeeded(String prefix) {
    Set<String> bodies = new java.util.TreeSet<>();
    statusByBody.forEach((body, status) -> {
      if (status == 200 && body.startsWith(prefix + "-")) {
        bodies.add(body);
      }
    });
    return bodies;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
