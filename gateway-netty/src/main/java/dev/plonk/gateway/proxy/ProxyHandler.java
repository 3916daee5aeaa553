package dev.plonk.gateway.proxy;

import dev.plonk.call.CallHeaders;
import dev.plonk.gateway.http.Exchange;
import dev.plonk.gateway.http.Responses;
import dev.plonk.gateway.http.RouteHandler;
import dev.plonk.gateway.metrics.GatewayMetrics;
import dev.plonk.gateway.routing.FunctionRef;
import dev.plonk.gateway.routing.Route;
import dev.plonk.gateway.routing.Router;
import dev.plonk.http.UpstreamClient;
import dev.plonk.http.UpstreamException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * {@code /function/<name>[.<namespace>][/path]}: any method, proxied with path, query, headers and body, to the
 * endpoint the {@link Router} picks. Connection failures are retried on another pick for idempotent methods only.
 * {@link #canary} makes the same handler for {@value #CANARY_PREFIX}: the rollout-controller's generated load, sent to
 * the function's canary backend whatever the weights, counted as {@code source="loadgen"}; the caller's
 * {@code Authorization} (the gateway's own credentials) is never forwarded to the function.
 */
public final class ProxyHandler implements RouteHandler {
  public static final String PREFIX = "/function/";
  /** The internal path of generated load; mounted behind the gateway's basic auth. */
  public static final String CANARY_PREFIX = "/system/canary/";
  private static final int MAX_ATTEMPTS = 3;
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
      HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

  /** Headers copied from messages the codec already validated, plus our own: no second validation pass. */
  private static final HttpHeadersFactory COPIED_HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
  private static final HttpHeadersFactory COPIED_TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

  private final Router router;
  private final UpstreamClient client;
  private final GatewayMetrics metrics;
  private final String defaultNamespace;
  private final GatewayMetrics.Source source;

  /** {@code /function/}: user traffic, split by the weights. */
  public ProxyHandler(Router router, UpstreamClient client, GatewayMetrics metrics, String defaultNamespace) {
    this(router, client, metrics, defaultNamespace, GatewayMetrics.Source.USER);
  }

  private ProxyHandler(Router router, UpstreamClient client, GatewayMetrics metrics, String defaultNamespace,
      GatewayMetrics.Source source) {
    this.router = router;
    this.client = client;
    this.metrics = metrics;
    this.defaultNamespace = defaultNamespace;
    this.source = source;
  }

  /** {@value #CANARY_PREFIX}: generated load, always to the canary backend; mount it behind authentication. */
  public static ProxyHandler canary(Router router, UpstreamClient client, GatewayMetrics metrics,
      String defaultNamespace) {
    return new ProxyHandler(router, client, metrics, defaultNamespace, GatewayMetrics.Source.LOAD);
  }

  private String prefix() {
    return source == GatewayMetrics.Source.USER ? PREFIX : CANARY_PREFIX;
  }

  private Route pick(FunctionRef function) {
    return source == GatewayMetrics.Source.USER ? router.route(function) : router.canary(function);
  }

  @Override
  public void handle(Exchange exchange) {
    FunctionRef function;
    try {
      function = FunctionRef.parse(exchange.target().originForm().substring(prefix().length()), defaultNamespace);
    } catch (FunctionRef.InvalidFunctionException e) {
      exchange.respond(Responses.error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
      return;
    }
    String callId = exchange.request().headers().get(CallHeaders.CALL_ID);
    if (callId == null || callId.isBlank()) {
      callId = CallHeaders.newCallId();
    }
    if (source == GatewayMetrics.Source.USER && !router.knows(function)) {
      // not counted: a series per name a client makes up would let anyone grow the metrics without bound
      FullHttpResponse out = Responses.error(HttpResponseStatus.NOT_FOUND, Router.unknown(function).getMessage());
      addCallHeaders(exchange, out, callId, seconds(exchange));
      exchange.respond(out);
      return;
    }
    if (source == GatewayMetrics.Source.USER) {
      metrics.started(function.qualifiedName());
    }
    attempt(exchange, function, callId, 1);
  }

  private void attempt(Exchange exchange, FunctionRef function, String callId, int attempt) {
    Route route;
    try {
      route = pick(function);
    } catch (Router.UnknownFunctionException e) {
      fail(exchange, function, callId, null, HttpResponseStatus.NOT_FOUND, e.getMessage());
      return;
    } catch (Router.NoEndpointException e) {
      fail(exchange, function, callId, null, HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
      return;
    }
    FullHttpRequest upstream = upstreamRequest(exchange, function, route, callId);
    EventLoop loop = exchange.ctx().channel().eventLoop();
    client.send(loop, route.address(), hostOf(route.authority()), upstream).addListener(f -> {
      if (f.isSuccess()) {
        succeed(exchange, function, callId, route.backend(), (FullHttpResponse) f.getNow());
        return;
      }
      UpstreamException error = f.cause() instanceof UpstreamException u ? u
          : new UpstreamException(UpstreamException.Kind.BROKEN, f.cause().toString(), f.cause());
      if (error.kind().connectFailure() && attempt < MAX_ATTEMPTS && IDEMPOTENT.contains(exchange.request().method())
          && exchange.ctx().channel().isActive()) {
        attempt(exchange, function, callId, attempt + 1);
        return;
      }
      fail(exchange, function, callId, route.backend(), error.kind().status(), "calling function "
          + function.qualifiedName() + " (backend " + route.backend() + ") failed: " + error.getMessage()
          + (attempt > 1 ? " (after " + attempt + " attempts)" : "") + "; check that the function is running and healthy");
    });
  }

  private FullHttpRequest upstreamRequest(Exchange exchange, FunctionRef function, Route route, String callId) {
    FullHttpRequest in = exchange.request();
    String uri = route.absoluteForm() ? "http://" + route.authority() + function.upstreamUri() : function.upstreamUri();
    FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, in.method(), uri,
        in.content().retainedDuplicate(), COPIED_HEADERS, COPIED_TRAILERS);
    CallHeaders.copyEndToEnd(in.headers(), out.headers());
    if (source == GatewayMetrics.Source.LOAD) {
      out.headers().remove(HttpHeaderNames.AUTHORIZATION);
    }
    String host = in.headers().get(HttpHeaderNames.HOST);
    out.headers().set(HttpHeaderNames.HOST, route.authority());
    route.extraHeaders().forEach(out.headers()::set);
    if (host != null) {
      out.headers().set(CallHeaders.FORWARDED_HOST, host);
    }
    String client = exchange.ctx().channel().remoteAddress() instanceof InetSocketAddress a
        ? a.getAddress().getHostAddress() : "unknown";
    String forwardedFor = in.headers().get(CallHeaders.FORWARDED_FOR);
    out.headers().set(CallHeaders.FORWARDED_FOR, forwardedFor == null ? client : forwardedFor + ", " + client);
    out.headers().set(CallHeaders.CALL_ID, callId);
    out.headers().set(CallHeaders.START_TIME, Long.toString(exchange.startEpochNanos()));
    out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
    return out;
  }

  private void succeed(Exchange exchange, FunctionRef function, String callId, String backend, FullHttpResponse in) {
    double seconds = seconds(exchange);
    metrics.finished(function.namespace(), function.name(), backend, in.status().code(), seconds, source);
    if (source == GatewayMetrics.Source.USER) {
      serviceCount(function);
    }
    FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, in.status(), in.content(),
        COPIED_HEADERS, COPIED_TRAILERS);
    CallHeaders.copyEndToEnd(in.headers(), out.headers());
    addCallHeaders(exchange, out, callId, seconds);
    exchange.respond(out);
  }

  private void fail(Exchange exchange, FunctionRef function, String callId, String backend, HttpResponseStatus status,
      String message) {
    double seconds = seconds(exchange);
    metrics.finished(function.namespace(), function.name(), backend, status.code(), seconds, source);
    FullHttpResponse out = Responses.error(status, message);
    addCallHeaders(exchange, out, callId, seconds);
    exchange.respond(out);
  }

  private void serviceCount(FunctionRef function) {
    int ready = router.readyEndpoints(function);
    if (ready >= 0) {
      metrics.serviceCount(function.qualifiedName(), ready);
    }
  }

  private static void addCallHeaders(Exchange exchange, FullHttpResponse out, String callId, double seconds) {
    out.headers().set(CallHeaders.CALL_ID, callId);
    out.headers().set(CallHeaders.START_TIME, Long.toString(exchange.startEpochNanos()));
    out.headers().set(CallHeaders.DURATION_SECONDS, CallHeaders.seconds(seconds));
  }

  private static double seconds(Exchange exchange) {
    return (System.nanoTime() - exchange.startNanos()) / 1e9;
  }

  private static String hostOf(String authority) {
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }
}
