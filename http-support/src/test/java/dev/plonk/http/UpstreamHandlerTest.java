package dev.plonk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UpstreamHandlerTest {

  private static FullHttpRequest request() {
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
  }

  @Test
  void theResponseCompletesThePromise() {
    UpstreamHandler handler = new UpstreamHandler();
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    Promise<FullHttpResponse> promise = channel.eventLoop().newPromise();
    handler.send(request(), promise, TimeUnit.SECONDS.toNanos(5), false, "fn:8080");
    FullHttpRequest written = channel.readOutbound();
    written.release();
    channel.writeInbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.copiedBuffer(new byte[] {1, 2})));
    assertThat(promise.isSuccess()).isTrue();
    FullHttpResponse response = promise.getNow();
    assertThat(response.content().readableBytes()).isEqualTo(2);
    response.release();
    assertThat(handler.busy()).isFalse();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void aTimeoutFailsWith504KindAndCloses() throws Exception {
    UpstreamHandler handler = new UpstreamHandler();
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    Promise<FullHttpResponse> promise = channel.eventLoop().newPromise();
    handler.send(request(), promise, TimeUnit.MILLISECONDS.toNanos(5), false, "fn:8080");
    ((FullHttpRequest) channel.readOutbound()).release();
    TimeUnit.MILLISECONDS.sleep(20);
    channel.runScheduledPendingTasks();
    assertThat(promise.cause()).isInstanceOfSatisfying(UpstreamException.class, e -> {
      assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RESPONSE_TIMEOUT);
      assertThat(e.kind().status().code()).isEqualTo(504);
      assertThat(e.getMessage()).contains("fn:8080 did not answer within 5 ms");
    });
    assertThat(channel.isOpen()).isFalse();
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void aPooledConnectionClosedBeforeAnyByteIsStaleAndRetryable() {
    UpstreamHandler handler = new UpstreamHandler();
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    Promise<FullHttpResponse> promise = channel.eventLoop().newPromise();
    handler.send(request(), promise, TimeUnit.SECONDS.toNanos(5), true, "fn:8080");
    ((FullHttpRequest) channel.readOutbound()).release();
    channel.close();
    assertThat(promise.cause()).isInstanceOfSatisfying(UpstreamException.class, e -> {
      assertThat(e.kind()).isEqualTo(UpstreamException.Kind.STALE_CONNECTION);
      assertThat(e.kind().connectFailure()).isTrue();
    });
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void aFreshConnectionClosedMidCallIsBroken502() {
    UpstreamHandler handler = new UpstreamHandler();
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    Promise<FullHttpResponse> promise = channel.eventLoop().newPromise();
    handler.send(request(), promise, TimeUnit.SECONDS.toNanos(5), false, "fn:8080");
    ((FullHttpRequest) channel.readOutbound()).release();
    channel.close();
    assertThat(promise.cause()).isInstanceOfSatisfying(UpstreamException.class, e -> {
      assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BROKEN);
      assertThat(e.kind().status().code()).isEqualTo(502);
      assertThat(e.kind().connectFailure()).isFalse();
    });
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void anUnexpectedResponseIsReleased() {
    EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHandler());
    channel.writeInbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.copiedBuffer(new byte[] {1})));
    assertFalse(channel.finishAndReleaseAll());
  }
}
