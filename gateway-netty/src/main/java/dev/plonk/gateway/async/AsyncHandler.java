package dev.plonk.gateway.async;

import dev.plonk.call.AsyncCall;
import dev.plonk.call.CallHeaders;
import dev.plonk.gateway.http.Exchange;
import dev.plonk.gateway.http.Responses;
import dev.plonk.gateway.http.RouteHandler;
import dev.plonk.gateway.metrics.GatewayMetrics;
import dev.plonk.gateway.routing.FunctionRef;
import dev.plonk.gateway.routing.Router;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /async-function/<name>[.<namespace>][/path]}: queues the call on JetStream and answers 202 with
 * {@code X-Call-Id} (the client's, or a new UUID) once JetStream has stored it. A function the router does not know
 * (missing, or outside the served namespaces) gets the same 404 as on {@code /function}.
 */
public final class AsyncHandler implements RouteHandler {
  public static final String PREFIX = "/async-function/";

  private final AsyncPublisher publisher;
  private final Router router;
  private final GatewayMetrics metrics;
  private final String defaultNamespace;

  /**
   * @param publisher null when the gateway runs without NATS (calls get 501)
   * @param router    says whether the function exists: a call to any other is refused with 404, never queued
   */
  public AsyncHandler(AsyncPublisher publisher, Router router, GatewayMetrics metrics, String defaultNamespace) {
    this.publisher = publisher;
    this.router = router;
    this.metrics = metrics;
    this.defaultNamespace = defaultNamespace;
  }

  @Override
  public void handle(Exchange exchange) {
    FullHttpRequest request = exchange.request();
    if (!HttpMethod.POST.equals(request.method())) {
      FullHttpResponse response = Responses.error(HttpResponseStatus.METHOD_NOT_ALLOWED, request.method()
          + " is not allowed on /async-function; queue a call with POST /async-function/<name>[.<namespace>]");
      response.headers().set(HttpHeaderNames.ALLOW, "POST");
      exchange.respond(response);
      return;
    }
    FunctionRef function;
    try {
      function = FunctionRef.parse(exchange.target().originForm().substring(PREFIX.length()), defaultNamespace);
    } catch (FunctionRef.InvalidFunctionException e) {
      exchange.respond(Responses.error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
      return;
    }
    if (!router.knows(function)) {
      exchange.respond(Responses.error(HttpResponseStatus.NOT_FOUND, Router.unknown(function).getMessage()));
      return;
    }
    if (publisher == null) {
      exchange.respond(Responses.error(HttpResponseStatus.NOT_IMPLEMENTED, "async calls are off: the gateway was "
          + "started without --nats-url; start it with a NATS JetStream URL to queue calls"));
      return;
    }
    String callId = request.headers().get(CallHeaders.CALL_ID);
    if (callId == null || callId.isBlank()) {
      callId = CallHeaders.newCallId();
    }
    AsyncCall call = new AsyncCall(callId, function.namespace(), function.name(), request.method().name(),
        function.path(), function.query(), headers(request), ByteBufUtil.getBytes(request.content()),
        request.headers().get(CallHeaders.CALLBACK_URL), System.currentTimeMillis());
    String id = callId;
    publisher.publish(call).whenComplete((ack, error) -> {
      if (error != null) {
        metrics.asyncCall(function.qualifiedName(), "failed");
        exchange.respond(Responses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "could not queue the call to "
            + function.qualifiedName() + " on JetStream: " + error.getMessage() + "; retry with the same X-Call-Id"));
        return;
      }
      metrics.asyncCall(function.qualifiedName(), ack.isDuplicate() ? "duplicate" : "queued");
      FullHttpResponse response = Responses.json(HttpResponseStatus.ACCEPTED, Map.of("callId", id,
          "function", function.qualifiedName(), "duplicate", ack.isDuplicate()));
      response.headers().set(CallHeaders.CALL_ID, id);
      response.headers().set(CallHeaders.START_TIME, Long.toString(exchange.startEpochNanos()));
      exchange.respond(response);
    });
  }

  private static Map<String, List<String>> headers(FullHttpRequest request) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : request.headers()) {
      if (!CallHeaders.hopByHop(header.getKey())) {
        headers.computeIfAbsent(header.getKey(), k -> new ArrayList<>()).add(header.getValue());
      }
    }
    return headers;
  }
}
