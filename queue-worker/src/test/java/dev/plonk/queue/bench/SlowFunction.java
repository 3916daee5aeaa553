package dev.plonk.queue.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Benchmark tool (bench/queue), not a test: a loopback function that takes {@code latency-ms} per call and answers
 * 200 "ok", so the drain and sync rates compare how well each keeps 16 calls in flight rather than CPU cost.
 * Usage: {@code <port> <latency-ms>}; runs until killed.
 */
public final class SlowFunction {
  public static void main(String[] args) throws Exception {
    long latency = Long.parseLong(args[1]);
    byte[] ok = "ok\n".getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        Integer.parseInt(args[0])), 256);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      try {
        Thread.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(200, ok.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(ok);
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(64));
    server.start();
  }
}
