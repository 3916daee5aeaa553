package dev.plonk.gateway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A function stand-in on 127.0.0.1: answers {@code <tag> <method> <uri>} (and echoes the body after a newline),
 * records the last request's headers and URI, and can be made slow.
 */
final class TestUpstream implements AutoCloseable {
  record Seen(String method, URI uri, Headers headers, byte[] body) {}

  private final HttpServer server;
  private final String tag;
  private final AtomicReference<Seen> last = new AtomicReference<>();
  private final AtomicLong delayMillis = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  static {
    // the JDK server leaves Nagle on: ~40 ms per small response with delayed ACKs
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  TestUpstream(String tag) throws IOException {
    this.tag = tag;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    server.setExecutor(Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "upstream-" + tag);
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      last.set(new Seen(exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getRequestHeaders(), body));
      requests.incrementAndGet();
      long delay = delayMillis.get();
      if (delay > 0) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] head = (tag + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[head.length + (body.length > 0 ? body.length + 1 : 0)];
      System.arraycopy(head, 0, out, 0, head.length);
      if (body.length > 0) {
        out[head.length] = '\n';
        System.arraycopy(body, 0, out, head.length + 1, body.length);
      }
      exchange.getResponseHeaders().add("Content-Type", "text/plain");
      exchange.getResponseHeaders().add("X-Upstream", tag);
      exchange.sendResponseHeaders(200, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String tag() {
    return tag;
  }

  Seen last() {
    return last.get();
  }

  long requests() {
    return requests.get();
  }

  void delay(Duration delay) {
    delayMillis.set(delay.toMillis());
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
