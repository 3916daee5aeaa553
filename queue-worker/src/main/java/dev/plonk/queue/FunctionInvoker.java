package dev.plonk.queue;

import dev.plonk.gateway.async.AsyncCall;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Calls a queued function through the gateway's sync path {@code <gateway>/function/<name>.<namespace><path>?<query>},
 * so queued calls follow canary weights and show in the gateway's per-backend metrics. Keeps the method, headers
 * and body and sets {@code X-Call-Id}.
 */
public final class FunctionInvoker {
  /** Headers the JDK client sets itself or refuses, and ones that only mean something to the gateway's async path. */
  private static final Set<String> SKIPPED = Set.of("connection", "content-length", "expect", "host", "upgrade",
      "http2-settings", "te", "transfer-encoding", "keep-alive", "proxy-connection", "x-call-id", "x-callback-url");

  private final HttpClient http;
  private final URI gateway;
  private final Duration timeout;
  private final Clock clock;

  public FunctionInvoker(HttpClient http, URI gateway, Duration timeout, Clock clock) {
    this.http = http;
    this.gateway = gateway;
    this.timeout = timeout;
    this.clock = clock;
  }

  public URI uriFor(AsyncCall call) {
    String base = gateway.toString().replaceAll("/+$", "");
    String name = URLEncoder.encode(call.function() + "." + call.namespace(), StandardCharsets.UTF_8);
    String query = call.query() == null || call.query().isEmpty() ? "" : "?" + call.query();
    return URI.create(base + "/function/" + name + call.path() + query);
  }

  public CallResult invoke(AsyncCall call) {
    long start = System.nanoTime();
    HttpRequest.Builder request = HttpRequest.newBuilder(uriFor(call)).timeout(timeout)
        .method(call.method().toUpperCase(Locale.ROOT), call.body().length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(call.body()));
    copyHeaders(call.headers(), request);
    request.setHeader("X-Call-Id", call.callId());
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      Map<String, List<String>> headers = response.headers().map();
      Duration retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock);
      return new CallResult(response.statusCode(), headers, response.body(), took, null, retryAfter);
    } catch (IOException e) {
      return CallResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage(),
          Duration.ofNanos(System.nanoTime() - start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CallResult.failed("interrupted while calling " + call.qualifiedName(),
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  static void copyHeaders(Map<String, List<String>> headers, HttpRequest.Builder request) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey() == null || SKIPPED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : header.getValue()) {
        try {
          request.header(header.getKey(), value);
        } catch (IllegalArgumentException restricted) {
          // a header the JDK client manages itself: it sets its own value
        }
      }
    }
  }
}
