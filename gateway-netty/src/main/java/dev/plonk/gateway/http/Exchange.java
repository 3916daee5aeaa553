package dev.plonk.gateway.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.function.BiConsumer;

/**
 * One request and its one response. It owns the aggregated request (released when the response is sent) and
 * writes the response on the channel's event loop, whatever thread answers.
 */
public final class Exchange {
  private final ChannelHandlerContext ctx;
  private final FullHttpRequest request;
  private final long startNanos = System.nanoTime();
  private final long startEpochNanos;
  private final BiConsumer<Exchange, Boolean> onDone;
  private final boolean closeAfter;
  private QueryStringDecoder uri;
  private boolean responded;

  Exchange(ChannelHandlerContext ctx, FullHttpRequest request, boolean closeAfter, BiConsumer<Exchange, Boolean> onDone) {
    this.ctx = ctx;
    this.request = request;
    this.closeAfter = closeAfter;
    this.onDone = onDone;
    java.time.Instant now = java.time.Instant.now();
    this.startEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  public FullHttpRequest request() {
    return request;
  }

  private QueryStringDecoder uri() {
    if (uri == null) {
      uri = new QueryStringDecoder(request.uri());
    }
    return uri;
  }

  /** The decoded path (without query). */
  public String path() {
    return uri().path();
  }

  /** The path as sent, without the query. */
  public String rawPath() {
    String raw = request.uri();
    int q = raw.indexOf('?');
    return q < 0 ? raw : raw.substring(0, q);
  }

  public String query(String name) {
    var values = uri().parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public ChannelHandlerContext ctx() {
    return ctx;
  }

  public long startNanos() {
    return startNanos;
  }

  /** Unix time in nanoseconds at which the request arrived (OpenFaaS {@code X-Start-Time}). */
  public long startEpochNanos() {
    return startEpochNanos;
  }

  /** Sends the response (taking ownership of it); later calls release their response and do nothing. */
  public void respond(FullHttpResponse response) {
    if (!ctx.executor().inEventLoop()) {
      ctx.executor().execute(() -> respond(response));
      return;
    }
    if (responded || !ctx.channel().isActive()) {
      ReferenceCountUtil.release(response);
      if (!responded) {
        responded = true;
        ReferenceCountUtil.release(request);
        onDone.accept(this, false);
      }
      return;
    }
    responded = true;
    boolean keepAlive = HttpUtil.isKeepAlive(request) && !closeAfter;
    response.setProtocolVersion(request.protocolVersion());
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (!request.protocolVersion().isKeepAliveDefault()) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    ReferenceCountUtil.release(request);
    ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
      boolean again = f.isSuccess() && keepAlive;
      if (!again) {
        f.channel().close();
      }
      onDone.accept(this, again);
    });
  }
}
