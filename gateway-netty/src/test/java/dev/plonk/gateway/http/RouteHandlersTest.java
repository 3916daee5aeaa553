package dev.plonk.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.plonk.gateway.GatewayConfig;
import dev.plonk.gateway.async.AsyncHandler;
import dev.plonk.gateway.metrics.GatewayMetrics;
import dev.plonk.gateway.metrics.MetricsHandler;
import dev.plonk.gateway.proxy.ProxyHandler;
import dev.plonk.gateway.routing.FunctionRef;
import dev.plonk.gateway.routing.Route;
import dev.plonk.gateway.routing.Router;
import dev.plonk.gateway.provider.FunctionDeployment;
import dev.plonk.gateway.provider.FunctionProvider;
import dev.plonk.gateway.provider.FunctionStatus;
import dev.plonk.gateway.provider.LogSource;
import dev.plonk.gateway.system.SystemApi;
import dev.plonk.gateway.system.SystemRoutes;
import dev.plonk.http.UpstreamClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The route handlers behind the dispatcher, on EmbeddedChannels; no upstream and no Kubernetes is reached. */
class RouteHandlersTest {
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final GatewayConfig.Limits limits = new GatewayConfig.Limits(1024, 8192, 4096, Duration.ofSeconds(30),
      Duration.ofSeconds(60), 100, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
      Duration.ofSeconds(1));
  private final GatewayConfig config = new GatewayConfig("127.0.0.1", 0, 1, GatewayConfig.Routing.direct, "fns", null,
      null, "cluster.local", null, null, false, null, GatewayConfig.TlsSettings.none(), limits);

  /** Knows one function, "ready"; "empty" exists with no endpoint; anything else is unknown. */
  private final Router router = new Router() {
    @Override
    public Route route(FunctionRef function) {
      if (function.name().equals("empty")) {
        throw new NoEndpointException("function " + function.qualifiedName() + " has no ready endpoint");
      }
      throw new UnknownFunctionException("function " + function.qualifiedName() + " not found");
    }

    @Override
    public Route canary(FunctionRef function) {
      throw Router.noCanary(function);
    }

    @Override
    public boolean knows(FunctionRef function) {
      return function.name().equals("empty") || function.name().equals("echo");
    }

    @Override
    public int readyEndpoints(FunctionRef function) {
      return 0;
    }
  };

  private EmbeddedChannel channel(RouteHandler handler, String prefix) {
    return new EmbeddedChannel(new ExchangeHandler(new InFlight(), () -> false),
        new RequestDispatcher(List.of(new RequestDispatcher.Mount(prefix, handler))));
  }

  private static FullHttpResponse call(EmbeddedChannel channel, HttpMethod method, String uri, String body) {
    ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, content));
    channel.runPendingTasks();
    return channel.readOutbound();
  }

  private static String text(FullHttpResponse response) {
    String body = response.content().toString(StandardCharsets.UTF_8);
    response.release();
    return body;
  }

  @Test
  void proxyMapsBadNamesUnknownFunctionsAndMissingEndpoints() {
    UpstreamClient client = new UpstreamClient(NioSocketChannel.class, Duration.ofSeconds(1), Duration.ofSeconds(1),
        1024, () -> null);
    EmbeddedChannel channel = channel(new ProxyHandler(router, client, metrics, "fns"), ProxyHandler.PREFIX);
    FullHttpResponse bad = call(channel, HttpMethod.GET, "/function/Nope", null);
    assertThat(bad.status().code()).isEqualTo(400);
    assertThat(text(bad)).contains("invalid function name 'Nope'");
    FullHttpResponse unknown = call(channel, HttpMethod.GET, "/function/ghost/x", null);
    assertThat(unknown.status().code()).isEqualTo(404);
    assertThat(unknown.headers().get("X-Call-Id")).isNotBlank();
    assertThat(unknown.headers().get("X-Duration-Seconds")).matches("\\d+\\.\\d{6}");
    assertThat(text(unknown)).contains("ghost.fns not found");
    FullHttpResponse empty = call(channel, HttpMethod.POST, "/function/empty.other", "body");
    assertThat(empty.status().code()).isEqualTo(503);
    assertThat(text(empty)).contains("no ready endpoint");
    assertThat(metrics.invocationCount("ghost.fns")).as("unknown names make no series").isZero();
    assertThat(metrics.invocationCount("empty.other")).isEqualTo(1);
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void canaryPathAnswers404ForAFunctionWithoutCanaryAndCountsNothing() {
    UpstreamClient client = new UpstreamClient(NioSocketChannel.class, Duration.ofSeconds(1), Duration.ofSeconds(1),
        1024, () -> null);
    EmbeddedChannel channel = channel(ProxyHandler.canary(router, client, metrics, "fns"), ProxyHandler.CANARY_PREFIX);
    FullHttpResponse none = call(channel, HttpMethod.GET, "/system/canary/echo/x", null);
    assertThat(none.status().code()).isEqualTo(404);
    assertThat(text(none)).contains("echo.fns has no canary backend (Service echo-canary)");
    FullHttpResponse bad = call(channel, HttpMethod.GET, "/system/canary/Echo", null);
    assertThat(bad.status().code()).isEqualTo(400);
    text(bad);
    assertThat(new String(metrics.scrape(), StandardCharsets.UTF_8)).doesNotContain("echo");
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void asyncRefusesOtherMethodsBadNamesUnknownFunctionsAndMissingNats() {
    EmbeddedChannel channel = channel(new AsyncHandler(null, router, metrics, "fns"), AsyncHandler.PREFIX);
    FullHttpResponse get = call(channel, HttpMethod.GET, "/async-function/echo", null);
    assertThat(get.status().code()).isEqualTo(405);
    assertThat(get.headers().get("Allow")).isEqualTo("POST");
    text(get);
    FullHttpResponse bad = call(channel, HttpMethod.POST, "/async-function/-x", "b");
    assertThat(bad.status().code()).isEqualTo(400);
    text(bad);
    FullHttpResponse unknown = call(channel, HttpMethod.POST, "/async-function/ghost.elsewhere", "b");
    assertThat(unknown.status().code()).isEqualTo(404);
    assertThat(text(unknown)).contains("function ghost.elsewhere not found");
    FullHttpResponse off = call(channel, HttpMethod.POST, "/async-function/echo", "b");
    assertThat(off.status().code()).isEqualTo(501);
    assertThat(text(off)).contains("--nats-url");
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void systemRejectsBadBodiesBeforeTouchingTheProvider() {
    EmbeddedChannel channel = channel(new SystemApi(SystemRoutes.all(new InMemoryProvider(), metrics, "direct"),
        new InMemoryProvider(), "fns", Runnable::run), "/system/");
    FullHttpResponse badJson = call(channel, HttpMethod.POST, "/system/functions", "{nope");
    assertThat(badJson.status().code()).isEqualTo(400);
    assertThat(text(badJson)).contains("not valid JSON");
    FullHttpResponse noImage = call(channel, HttpMethod.PUT, "/system/functions", "{\"service\":\"fn\"}");
    assertThat(noImage.status().code()).isEqualTo(400);
    assertThat(text(noImage)).contains("has no 'image'");
    FullHttpResponse badScale = call(channel, HttpMethod.POST, "/system/scale-function/fn", "{\"replicas\":-1}");
    assertThat(badScale.status().code()).isEqualTo(400);
    assertThat(text(badScale)).contains("non-negative integer");
    FullHttpResponse wrongMethod = call(channel, HttpMethod.GET, "/system/scale-function/fn", null);
    assertThat(wrongMethod.status().code()).isEqualTo(405);
    assertThat(wrongMethod.headers().get("Allow")).isEqualTo("POST");
    text(wrongMethod);
    FullHttpResponse unknown = call(channel, HttpMethod.GET, "/system/nothing", null);
    assertThat(unknown.status().code()).isEqualTo(404);
    assertThat(text(unknown)).contains("not part of the /system API");
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void systemAnswersUnservedNamespacesAsMissingAndUnsupportedRoutesWith501() {
    InMemoryProvider provider = new InMemoryProvider();
    EmbeddedChannel channel = channel(new SystemApi(SystemRoutes.all(provider, metrics, "direct"), provider, "fns",
        Runnable::run), "/system/");
    FullHttpResponse deployed = call(channel, HttpMethod.POST, "/system/functions",
        "{\"service\":\"echo\",\"image\":\"i:1\",\"someFutureField\":{\"x\":1}}");
    assertThat(deployed.status().code()).as(text(deployed)).isEqualTo(202);
    FullHttpResponse listed = call(channel, HttpMethod.GET, "/system/functions", null);
    assertThat(text(listed)).isEqualTo("[{\"name\":\"echo\",\"image\":\"i:1\",\"namespace\":\"fns\"}]");
    FullHttpResponse missing = call(channel, HttpMethod.GET, "/system/function/ghost", null);
    FullHttpResponse hidden = call(channel, HttpMethod.GET, "/system/function/echo?namespace=kube-system", null);
    assertThat(missing.status().code()).isEqualTo(404);
    assertThat(hidden.status().code()).isEqualTo(404);
    assertThat(text(hidden)).isEqualTo(text(missing).replace("ghost", "echo").replace("'fns'", "'kube-system'"));
    FullHttpResponse deployElsewhere = call(channel, HttpMethod.POST, "/system/functions",
        "{\"service\":\"x\",\"image\":\"i\",\"namespace\":\"default\"}");
    assertThat(deployElsewhere.status().code()).isEqualTo(404);
    text(deployElsewhere);
    assertThat(provider.functions).containsOnlyKeys("fns/echo");
    FullHttpResponse secrets = call(channel, HttpMethod.GET, "/system/secrets", null);
    assertThat(secrets.status().code()).isEqualTo(501);
    assertThat(text(secrets)).contains("no secrets store");
    FullHttpResponse alert = call(channel, HttpMethod.POST, "/system/alert", "{}");
    assertThat(alert.status().code()).isEqualTo(501);
    text(alert);
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void logsStreamOneOpenFaasMessagePerLineThenClose() {
    InMemoryProvider provider = new InMemoryProvider() {
      @Override
      public LogSource logs() {
        return (request, sink, wanted) -> {
          sink.accept(new LogSource.LogMessage(request.name(), request.namespace(), "pod-1", "2026-11-25T04:00:00Z", "one"));
          sink.accept(new LogSource.LogMessage(request.name(), request.namespace(), "pod-1", "2026-11-25T04:00:01Z", "two"));
        };
      }
    };
    provider.deploy("fns", new FunctionDeployment("echo", "i:1", null, null, null, null, null, null, null, null, null,
        false));
    EmbeddedChannel channel = channel(new SystemApi(SystemRoutes.all(provider, metrics, "direct"), provider, "fns",
        Runnable::run), "/system/");
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/system/logs?name=echo&tail=2"));
    channel.runPendingTasks();
    io.netty.handler.codec.http.HttpResponse head = channel.readOutbound();
    assertThat(head.status().code()).isEqualTo(200);
    assertThat(head.headers().get("Content-Type")).isEqualTo("application/x-ndjson");
    StringBuilder body = new StringBuilder();
    Object part;
    while ((part = channel.readOutbound()) != null) {
      body.append(((io.netty.handler.codec.http.HttpContent) part).content().toString(StandardCharsets.UTF_8));
      io.netty.util.ReferenceCountUtil.release(part);
    }
    assertThat(body.toString()).isEqualTo(
        "{\"name\":\"echo\",\"namespace\":\"fns\",\"instance\":\"pod-1\",\"timestamp\":\"2026-11-25T04:00:00Z\",\"text\":\"one\"}\n"
        + "{\"name\":\"echo\",\"namespace\":\"fns\",\"instance\":\"pod-1\",\"timestamp\":\"2026-11-25T04:00:01Z\",\"text\":\"two\"}\n");
    assertThat(channel.isOpen()).as("a stream ends with the connection").isFalse();
    assertFalse(channel.finishAndReleaseAll());
  }

  /** A provider in memory, serving only "fns", with no secrets store and no logs. */
  static class InMemoryProvider implements FunctionProvider {
    final java.util.Map<String, FunctionStatus> functions = new java.util.TreeMap<>();

    @Override
    public List<String> namespaces() {
      return List.of("fns");
    }

    @Override
    public List<FunctionStatus> list(String namespace) {
      return functions.values().stream().filter(f -> f.namespace().equals(namespace)).toList();
    }

    @Override
    public java.util.Optional<FunctionStatus> get(String namespace, String name) {
      return java.util.Optional.ofNullable(functions.get(namespace + "/" + name));
    }

    @Override
    public void deploy(String namespace, FunctionDeployment f) {
      functions.put(namespace + "/" + f.service(), new FunctionStatus(f.service(), f.image(), namespace, null, null,
          null, null, null, null, null, null, false, 0, 0, 0, null, null));
    }

    @Override
    public boolean update(String namespace, FunctionDeployment f) {
      return functions.containsKey(namespace + "/" + f.service());
    }

    @Override
    public boolean delete(String namespace, String name) {
      return functions.remove(namespace + "/" + name) != null;
    }

    @Override
    public boolean scale(String namespace, String name, int replicas) {
      return functions.containsKey(namespace + "/" + name);
    }
  }

  @Test
  void metricsAreServedAsPrometheusText() {
    metrics.finished("ns", "fn", "fn", 200, 0.01);
    EmbeddedChannel channel = channel(new MetricsHandler(metrics), "/metrics");
    FullHttpResponse response = call(channel, HttpMethod.GET, "/metrics", null);
    assertThat(response.headers().get("Content-Type")).startsWith("text/plain; version=0.0.4");
    assertThat(text(response)).contains("gateway_function_invocation_total{code=\"200\",function_name=\"fn.ns\"} 1.0");
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void theWholePipelineServesBytes() {
    RouteHandler ok = exchange -> exchange.respond(Responses.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "hi"));
    GatewayChannelInitializer initializer = new GatewayChannelInitializer(limits, null,
        new ConnectionLimitHandler(10, new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)),
        new RequestDispatcher(List.of(new RequestDispatcher.Mount("/healthz", ok))), new InFlight(), () -> false);
    EmbeddedChannel channel = new EmbeddedChannel(initializer);
    channel.writeInbound(Unpooled.copiedBuffer("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
    EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1024));
    Object out;
    while ((out = channel.readOutbound()) != null) {
      decoder.writeInbound(out);
    }
    FullHttpResponse response = decoder.readInbound();
    assertThat(response.status().code()).isEqualTo(200);
    assertThat(text(response)).isEqualTo("hi");
    assertFalse(decoder.finishAndReleaseAll());
    assertFalse(channel.finishAndReleaseAll());
  }
}
