package dev.plonk.queue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A loopback callback receiver that records each callback; {@link #stop()} and {@link #start()} keep its port. */
public final class CallbackReceiver implements AutoCloseable {
  public record Callback(String callId, int functionStatus, String functionName, double durationSeconds, String body,
      Map<String, List<String>> headers) {
    /** A header of the callback request (the function's response headers travel with it), or null. */
    public String header(String name) {
      return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).findFirst()
          .map(h -> h.getValue().get(0)).orElse(null);
    }
  }

  private final int port = dev.plonk.devstack.Net.freePort();
  private final List<Callback> received = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> perCall = new ConcurrentHashMap<>();
  private HttpServer server;

  public CallbackReceiver start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.createContext("/", exchange -> {
      var headers = exchange.getRequestHeaders();
      String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      Callback callback = new Callback(headers.getFirst("X-Call-Id"),
          Integer.parseInt(headers.getFirst("X-Function-Status")), headers.getFirst("X-Function-Name"),
          Double.parseDouble(headers.getFirst("X-Duration-Seconds")), body, Map.copyOf(headers));
      received.add(callback);
      perCall.merge(callback.callId(), 1, Integer::sum);
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.start();
    return this;
  }

  public void stop() {
    server.stop(0);
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/callback";
  }

  public List<Callback> received() {
    return received;
  }

  /** Distinct call ids that got at least one callback. */
  public int distinctCalls() {
    return perCall.size();
  }

  /** Callbacks beyond the first for the same call id (at-least-once duplicates). */
  public int duplicates() {
    return perCall.values().stream().mapToInt(n -> n - 1).sum();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
  }
}
