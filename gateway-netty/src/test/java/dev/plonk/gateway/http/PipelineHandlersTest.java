package dev.plonk.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** EmbeddedChannel tests of the server handlers; each ends with nothing left unreleased. */
class PipelineHandlersTest {

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  /** The response the codec wrote, decoded back (the encoder turned it into bytes). */
  private static FullHttpResponse encodedResponse(EmbeddedChannel channel) {
    EmbeddedChannel decoder = new EmbeddedChannel(new io.netty.handler.codec.http.HttpResponseDecoder(),
        new io.netty.handler.codec.http.HttpObjectAggregator(1 << 20));
    Object out;
    while ((out = channel.readOutbound()) != null) {
      decoder.writeInbound(out);
    }
    FullHttpResponse response = decoder.readInbound();
    assertFalse(decoder.finishAndReleaseAll());
    return response;
  }

  private static String body(FullHttpResponse response) {
    return response.content().toString(StandardCharsets.UTF_8);
  }

  @Test
  void decoderFailuresAnswer400And431AndClose() {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(4096, 1024, 8192),
        new DecoderFailureHandler(1024, 4096));
    channel.writeInbound(ascii("GET /x HTTP/1.1\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n"));
    FullHttpResponse response = encodedResponse(channel);
    assertThat(response.status().code()).isEqualTo(431);
    assertThat(body(response)).contains("larger than 1024 bytes");
    response.release();
    assertThat(channel.isOpen()).isFalse();
    assertFalse(channel.finishAndReleaseAll());

    EmbeddedChannel garbage = new EmbeddedChannel(new HttpServerCodec(), new DecoderFailureHandler(1024, 4096));
    garbage.writeInbound(ascii("NOT\u0001HTTP AT ALL\r\n\r\n"));
    FullHttpResponse bad = encodedResponse(garbage);
    assertThat(bad.status().code()).isEqualTo(400);
    assertThat(body(bad)).contains("malformed HTTP request");
    bad.release();
    assertFalse(garbage.finishAndReleaseAll());
  }

  @Test
  void aggregatorAnswers413OverTheLimit() {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new LimitedAggregator(10));
    channel.writeInbound(ascii("POST /f HTTP/1.1\r\nContent-Length: 11\r\n\r\n"));
    FullHttpResponse response = encodedResponse(channel);
    assertThat(response.status().code()).isEqualTo(413);
    assertThat(body(response)).contains("larger than the limit of 10 bytes");
    response.release();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void clientTimeoutClosesAnIdleConnection() throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel(new ClientTimeoutHandler(Duration.ofMillis(10), Duration.ofMillis(10)));
    assertThat(channel.isOpen()).isTrue();
    TimeUnit.MILLISECONDS.sleep(30);
    channel.runPendingTasks();
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void clientTimeoutLeavesABusyConnectionAlone() throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel(new ClientTimeoutHandler(Duration.ofMillis(10), Duration.ofMillis(10)));
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    FullHttpRequest request = channel.readInbound();
    request.release();
    TimeUnit.MILLISECONDS.sleep(30);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).as("no timer while the response is being made").isTrue();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void connectionLimitClosesConnectionsOverTheLimit() {
    var group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    ConnectionLimitHandler limit = new ConnectionLimitHandler(1, group);
    EmbeddedChannel first = new EmbeddedChannel(limit);
    EmbeddedChannel second = new EmbeddedChannel(limit);
    assertThat(first.isOpen()).isTrue();
    assertThat(second.isOpen()).isFalse();
    assertThat(group.contains(first)).isTrue();
    assertFalse(first.finishAndReleaseAll());
    assertFalse(second.finishAndReleaseAll());
  }

  @Test
  void exchangesAreServedInOrderAndKeepAliveIsHonoured() {
    InFlight inFlight = new InFlight();
    RouteHandler echo = exchange -> exchange.respond(Responses.text(
        io.netty.handler.codec.http.HttpResponseStatus.OK, exchange.path()));
    EmbeddedChannel channel = new EmbeddedChannel(new ExchangeHandler(inFlight, () -> false),
        new RequestDispatcher(List.of(new RequestDispatcher.Mount("/a/", echo))));
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a/1"),
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/nowhere"));
    FullHttpResponse first = channel.readOutbound();
    FullHttpResponse second = channel.readOutbound();
    assertThat(body(first)).isEqualTo("/a/1");
    assertThat(second.status().code()).isEqualTo(404);
    assertThat(body(second)).contains("no route for /nowhere");
    assertThat(inFlight.get()).isZero();
    assertThat(channel.isOpen()).isTrue();
    first.release();
    second.release();

    DefaultFullHttpRequest close = new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/a/2");
    channel.writeInbound(close);
    FullHttpResponse last = channel.readOutbound();
    assertThat(last.headers().get("Connection")).isEqualToIgnoringCase("close");
    assertThat(last.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_0);
    last.release();
    assertThat(channel.isOpen()).isFalse();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void authDecoratesOnlyTheRoutesItWraps() {
    RouteHandler ok = exchange -> exchange.respond(Responses.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "in"));
    EmbeddedChannel channel = new EmbeddedChannel(new ExchangeHandler(new InFlight(), () -> false),
        new RequestDispatcher(List.of(new RequestDispatcher.Mount("/system/", new Authenticated(new BasicAuth("u", "p"), ok)),
            new RequestDispatcher.Mount("/healthz", ok))));
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/system/functions"));
    FullHttpResponse denied = channel.readOutbound();
    assertThat(denied.status().code()).isEqualTo(401);
    assertThat(denied.headers().get("WWW-Authenticate")).startsWith("Basic realm=");
    denied.release();

    DefaultFullHttpRequest authorized = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/system/functions");
    authorized.headers().set("Authorization", "Basic dTpw");
    channel.writeInbound(authorized);
    FullHttpResponse allowed = channel.readOutbound();
    assertThat(allowed.status().code()).isEqualTo(200);
    allowed.release();

    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/healthz"));
    FullHttpResponse open = channel.readOutbound();
    assertThat(open.status().code()).isEqualTo(200);
    open.release();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void malformedUrisAnswer400WithJsonBeforeAnyRoute() {
    RouteHandler ok = exchange -> exchange.respond(Responses.text(io.netty.handler.codec.http.HttpResponseStatus.OK,
        exchange.path() + "|" + exchange.query("q")));
    EmbeddedChannel channel = new EmbeddedChannel(new ExchangeHandler(new InFlight(), () -> false),
        new RequestDispatcher(List.of(new RequestDispatcher.Mount("/system/", ok))));
    for (String uri : List.of("/system/functions?x=%\u00ffz", "/system/functions?q=%zz", "/system/functions?q=%",
        "/system/fun%c3ctions", "/system/functions?q=%ff%fe", "/system/%e2%82", "*")) {
      channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
      FullHttpResponse response = channel.readOutbound();
      assertThat(response.status().code()).as(uri).isEqualTo(400);
      assertThat(response.headers().get("Content-Type")).isEqualTo("application/json");
      assertThat(body(response)).as(uri).contains("\"status\":400");
      response.release();
    }
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "/system/f%C3%A9?q=a+b%26c"));
    FullHttpResponse fine = channel.readOutbound();
    assertThat(fine.status().code()).isEqualTo(200);
    assertThat(body(fine)).isEqualTo("/system/f\u00e9|a b&c");
    fine.release();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void http2PriorKnowledgeGets400OnAnHttp11StatusLine() {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new RequestFramingHandler());
    channel.writeInbound(ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    Object head = channel.readOutbound();
    String bytes = ((ByteBuf) head).toString(StandardCharsets.US_ASCII);
    ((ByteBuf) head).release();
    assertThat(bytes).startsWith("HTTP/1.1 400 Bad Request\r\n");
    Object rest;
    while ((rest = channel.readOutbound()) != null) {
      io.netty.util.ReferenceCountUtil.release(rest);
    }
    assertThat(channel.isOpen()).isFalse();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void aFailingRouteAnswers500AndReleasesTheRequest() {
    RouteHandler broken = exchange -> {
      throw new IllegalStateException("boom");
    };
    EmbeddedChannel channel = new EmbeddedChannel(new ExchangeHandler(new InFlight(), () -> false),
        new RequestDispatcher(List.of(new RequestDispatcher.Mount("/b/", broken))));
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/b/x", ascii("payload")));
    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status().code()).isEqualTo(500);
    assertThat(body(response)).contains("boom");
    response.release();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void healthReportsDraining() {
    EmbeddedChannel channel = new EmbeddedChannel(new ExchangeHandler(new InFlight(), () -> true),
        new RequestDispatcher(List.of(new RequestDispatcher.Mount("/healthz", new HealthHandler(() -> true)))));
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/healthz"));
    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status().code()).isEqualTo(503);
    assertThat(response.headers().get("Connection")).isEqualToIgnoringCase("close");
    response.release();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void readsStopWhileARequestWaitsBehindTheOneBeingAnswered() {
    var held = new java.util.ArrayDeque<Exchange>();
    RouteHandler hold = held::add;
    EmbeddedChannel channel = new EmbeddedChannel(new ExchangeHandler(new InFlight(), () -> false),
        new RequestDispatcher(List.of(new RequestDispatcher.Mount("/", hold))));
    assertThat(channel.config().isAutoRead()).isTrue();
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/1"));
    assertThat(channel.config().isAutoRead()).as("one request being answered, none waiting").isTrue();
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/2"));
    assertThat(channel.config().isAutoRead()).as("a pipelined request waits").isFalse();
    held.poll().respond(Responses.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "one"));
    assertThat(held).hasSize(1); // the second request started once the first answer was written
    assertThat(channel.config().isAutoRead()).as("the waiting request started").isTrue();
    held.poll().respond(Responses.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "two"));
    FullHttpResponse first = channel.readOutbound();
    FullHttpResponse second = channel.readOutbound();
    assertThat(first.content().toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("one");
    assertThat(second.content().toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("two");
    first.release();
    second.release();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void tooManyPipelinedRequestsCloseTheConnection() {
    var held = new java.util.concurrent.atomic.AtomicReference<Exchange>();
    RouteHandler never = held::set; // keeps the first request unanswered
    EmbeddedChannel channel = new EmbeddedChannel(new ExchangeHandler(new InFlight(), () -> false),
        new RequestDispatcher(List.of(new RequestDispatcher.Mount("/", never))));
    for (int i = 0; i <= ExchangeHandler.MAX_PIPELINED + 1; i++) {
      channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/" + i));
    }
    assertThat(channel.isOpen()).isFalse();
    held.get().respond(Responses.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "late")); // released unsent
    assertThat(held.get().request().refCnt()).isZero();
    assertFalse(channel.finishAndReleaseAll());
  }
}
