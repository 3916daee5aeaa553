package dev.plonk.queue;

import dev.plonk.call.AsyncCall;
import dev.plonk.call.CallHeaders;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Calls a queued function through the gateway's sync path {@code <gateway>/function/<name>.<namespace><path>?<query>},
 * so queued calls follow canary weights and show in the gateway's per-backend metrics. Keeps the method, headers
 * and body and sets {@code X-Call-Id}.
 */
public final class FunctionInvoker {
  /** Hop-by-hop headers, headers this client sets itself, and ones that only mean something to the async path. */
  /** Headers never copied between a call, the function and the callback: hop-by-hop, framing, and the call's own. */
  static final Set<String> SKIPPED = Set.of("connection", "content-length", "expect", "host", "upgrade",
      "http2-settings", "te", "transfer-encoding", "keep-alive", "proxy-connection", "proxy-authorization",
      "trailer", "x-call-id", "x-callback-url");

  private final GatewayClient http;
  private final URI gateway;
  private final String hostHeader;
  private final String basePath;
  private final Clock clock;

  public FunctionInvoker(GatewayClient http, URI gateway, Clock clock) {
    this.http = http;
    this.gateway = gateway;
    this.hostHeader = gateway.getPort() > 0 ? gateway.getHost() + ":" + gateway.getPort() : gateway.getHost();
    String path = gateway.getRawPath() == null ? "" : gateway.getRawPath();
    this.basePath = path.replaceAll("/+$", "");
    this.clock = clock;
  }

  /** The request target on the gateway: {@code /function/<name>.<namespace><path>[?query]}. */
  public String targetFor(AsyncCall call) {
    String name = URLEncoder.encode(call.function() + "." + call.namespace(), StandardCharsets.UTF_8);
    String query = call.query() == null || call.query().isEmpty() ? "" : "?" + call.query();
    return basePath + "/function/" + name + call.path() + query;
  }

  public URI uriFor(AsyncCall call) {
    return gateway.resolve(targetFor(call));
  }

  /** Calls the function; completes with the result, a failed call being status 0 (never exceptionally). */
  public CompletableFuture<CallResult> invoke(AsyncCall call) {
    long start = System.nanoTime();
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.valueOf(call.method().toUpperCase(Locale.ROOT)), targetFor(call), Unpooled.wrappedBuffer(call.body()));
    copyHeaders(call.headers(), request.headers());
    request.headers().set(HttpHeaderNames.HOST, hostHeader)
        .set(CallHeaders.CALL_ID, call.callId())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, call.body().length);
    return http.send(request).handle((response, error) -> {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return CallResult.failed(cause.getClass().getSimpleName() + ": " + cause.getMessage(), took);
      }
      CallResult result = new CallResult(response.status(), response.headers(), response.body(), took, null, null);
      String retryAfter = result.header("Retry-After");
      return retryAfter == null ? result : new CallResult(result.status(), result.headers(), result.body(), took, null,
          RetryAfter.parse(retryAfter, clock));
    });
  }

  static void copyHeaders(Map<String, List<String>> from, HttpHeaders to) {
    for (Map.Entry<String, List<String>> header : from.entrySet()) {
      if (header.getKey() != null && !SKIPPED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        to.add(header.getKey(), header.getValue());
      }
    }
  }
}
