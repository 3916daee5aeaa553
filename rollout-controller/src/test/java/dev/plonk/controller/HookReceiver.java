package dev.plonk.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP receiver for webhooks and alerts, on loopback: each path answers a status code the test sets (and may
 * flip), or hangs until the receiver closes (at most 120 s). It records every request body it got, per path.
 */
final class HookReceiver implements AutoCloseable {
  static final int HANG = -1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(16);
  private final Map<String, Integer> answers = new ConcurrentHashMap<>();
  private final Map<String, List<String>> bodies = new ConcurrentHashMap<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  HookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The URL of {@code path} (e.g. "/gate"), answering {@code status} (or {@link #HANG}) from now on. */
  String url(String path, int status) {
    answers.put(path, status);
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void answer(String path, int status) {
    answers.put(path, status);
  }

  List<String> bodies(String path) {
    return List.copyOf(bodies.getOrDefault(path, List.of()));
  }

  List<JsonNode> json(String path) {
    return bodies(path).stream().map(b -> {
      try {
        return JSON.readTree(b);
      } catch (IOException e) {
        throw new AssertionError("not JSON on " + path + ": " + b, e);
      }
    }).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    bodies.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(body);
    int status = answers.getOrDefault(path, 404);
    if (status == HANG) {
      try {
        closing.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    pool.shutdownNow();
  }
}
