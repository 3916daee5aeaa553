package dev.plonk.queue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that plays both the gateway's sync path and the function behind it: it serves
 * {@code /function/<name>.<ns>/...} with a scripted {@link Behaviour} per function and
 * {@code /system/function/<name>?namespace=} with configured annotations. It records every call and the highest
 * concurrency it saw.
 */
final class FakeGateway implements AutoCloseable {
  /** The function's answer to its n-th call (n starts at 1). */
  interface Behaviour {
    Reply answer(int n, Arrival arrival) throws InterruptedException;
  }

  record Reply(int status, Map<String, String> headers, String body) {
    static Reply ok(String body) {
      return new Reply(200, Map.of(), body);
    }
  }

  record Arrival(String function, String method, String path, String query, String callId, byte[] body,
      Map<String, List<String>> headers, long nanoTime) {}

  private final HttpServer server;
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> annotations = new ConcurrentHashMap<>();
  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
  private final AtomicInteger concurrent = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();

  FakeGateway() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/function/", this::function);
    server.createContext("/system/function/", this::system);
    server.setExecutor(Executors.newFixedThreadPool(64));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void behave(String qualifiedName, Behaviour behaviour) {
    behaviours.put(qualifiedName, behaviour);
  }

  void annotate(String qualifiedName, Map<String, String> values) {
    annotations.put(qualifiedName, values);
  }

  List<Arrival> arrivals(String qualifiedName) {
    return arrivals.stream().filter(a -> a.function().equals(qualifiedName)).toList();
  }

  int maxConcurrent() {
    return maxConcurrent.get();
  }

  private void function(HttpExchange exchange) throws IOException {
    int now = concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    try {
      String rest = exchange.getRequestURI().getRawPath().substring("/function/".length());
      int slash = rest.indexOf('/');
      String name = slash < 0 ? rest : rest.substring(0, slash);
      Arrival arrival = new Arrival(name, exchange.getRequestMethod(), slash < 0 ? "" : rest.substring(slash),
          exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("X-Call-Id"),
          exchange.getRequestBody().readAllBytes(), Map.copyOf(exchange.getRequestHeaders()), System.nanoTime());
      arrivals.add(arrival);
      Behaviour behaviour = behaviours.get(name);
      Reply reply = behaviour == null ? new Reply(404, Map.of(), "no function " + name)
          : behaviour.answer(counts.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet(), arrival);
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      send(exchange, reply.status(), reply.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(exchange, 500, "interrupted");
    } finally {
      concurrent.decrementAndGet();
    }
  }

  private void system(HttpExchange exchange) throws IOException {
    String name = exchange.getRequestURI().getPath().substring("/system/function/".length());
    String query = exchange.getRequestURI().getQuery();
    String namespace = query == null ? "" : query.replace("namespace=", "");
    Map<String, String> values = annotations.get(name + "." + namespace);
    if (values == null) {
      send(exchange, 404, "not found");
      return;
    }
    StringBuilder json = new StringBuilder("{\"name\":\"" + name + "\",\"namespace\":\"" + namespace
        + "\",\"annotations\":{");
    values.forEach((k, v) -> json.append('"').append(k).append("\":\"").append(v).append("\","));
    json.setLength(json.length() - (values.isEmpty() ? 0 : 1));
    send(exchange, 200, json.append("}}").toString());
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
