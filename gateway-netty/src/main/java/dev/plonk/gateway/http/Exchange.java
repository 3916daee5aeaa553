package dev.plonk.gateway.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
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
  private RequestTarget target;
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

  /**
   * The request-target, parsed strictly on first use.
   *
   * @throws RequestTarget.InvalidTargetException if the URI is malformed (the dispatcher answers 400 before any route)
   */
  public RequestTarget target() {
    if (target == null) {
      target = RequestTarget.parse(request.uri());
    }
    return target;
  }

  /** The decoded path (without query). */
  public String path() {
    return target().path();
  }

  /** The path as sent, without the query. */
  public String rawPath() {
    return target().rawPath();
  }

  /** The first value of a decoded query parameter, or null. */
  public String query(String name) {
    return target().param(name);
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
    response.setProtocolVersion(request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? HttpVersion.HTTP_1_0
        : HttpVersion.HTTP_1_1);
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

  /**
   * Starts a streamed response (a body of unknown length, ended by closing the connection) and takes ownership of
   * the request. Call it from a blocking thread (writes wait for the socket); the response is over when the stream
   * ends.
   *
   * @param head the status and headers; {@code Connection: close} is set here
   * @return the body's stream, or null if the exchange is already over (answered, or the client left)
   */
  public ResponseStream stream(HttpResponse head) throws Exception {
    java.util.concurrent.Callable<ResponseStream> start = () -> {
      if (responded) {
        return null;
      }
      if (!ctx.channel().isActive()) { // the client left: the exchange is over, as respond() ends it
        responded = true;
        ReferenceCountUtil.release(request);
        onDone.accept(this, false);
        return null;
      }
      responded = true;
      ReferenceCountUtil.release(request);
      head.setProtocolVersion(request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? HttpVersion.HTTP_1_0
          : HttpVersion.HTTP_1_1);
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
      ctx.writeAndFlush(head);
      return new ResponseStream(ctx, () -> onDone.accept(this, false));
    };
    return ctx.executor().inEventLoop() ? start.call() : ctx.executor().submit(start).get();
  }
}
