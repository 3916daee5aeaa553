package dev.plonk.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback function behind the real gateway: answers 200 with the request body and its version in
 * {@code X-Function-Version}, and counts calls.
 */
final class EchoFunction implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger calls = new AtomicInteger();

  EchoFunction() throws IOException {
    this("v1");
  }

  EchoFunction(String version) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      calls.incrementAndGet();
      exchange.getResponseHeaders().set("X-Function-Version", version);
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  int calls() {
    return calls.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
