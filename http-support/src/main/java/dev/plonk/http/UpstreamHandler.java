package dev.plonk.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an upstream connection: one request at a time, its response completes the promise, a close
 * or error before the response fails it, and the response timeout fails it and closes the connection.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
  private ChannelHandlerContext ctx;
  private Promise<FullHttpResponse> current;
  /** One lazily re-armed timer per connection; the deadline moves without rescheduling. */
  private ScheduledFuture<?> timer;
  private long deadline;
  private long timeoutNanos;
  private boolean reused;
  private boolean gotBytes;
  private String target;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Sends one request; must be called on the connection's event loop. */
  void send(FullHttpRequest request, Promise<FullHttpResponse> promise, long responseTimeoutNanos, boolean reused,
      String target) {
    this.current = promise;
    this.reused = reused;
    this.gotBytes = false;
    this.target = target;
    this.timeoutNanos = responseTimeoutNanos;
    this.deadline = System.nanoTime() + responseTimeoutNanos;
    if (timer == null) {
      timer = ctx.executor().schedule(this::checkTimeout, responseTimeoutNanos, TimeUnit.NANOSECONDS);
    }
    ctx.writeAndFlush(request).addListener(f -> {
      if (!f.isSuccess()) {
        fail(closedError(f.cause()), true);
      }
    });
  }

  private void checkTimeout() {
    timer = null;
    if (current == null) {
      return;
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      fail(new UpstreamException(UpstreamException.Kind.RESPONSE_TIMEOUT, target + " did not answer within "
          + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (the response timeout)", null), true);
    } else {
      timer = ctx.executor().schedule(this::checkTimeout, left, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    gotBytes = true;
    Promise<FullHttpResponse> promise = current;
    if (!(msg instanceof FullHttpResponse response) || promise == null) {
      ReferenceCountUtil.release(msg);
      return;
    }
    clear();
    if (response.decoderResult().isFailure()) {
      response.release();
      promise.tryFailure(new UpstreamException(UpstreamException.Kind.BROKEN, target + " sent a malformed response: "
          + response.decoderResult().cause(), response.decoderResult().cause()));
      ctx.close();
      return;
    }
    if (!promise.trySuccess(response)) {
      response.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    handlerRemoved(ctx);
    fail(closedError(null), false);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(closedError(cause), true);
  }

  private UpstreamException closedError(Throwable cause) {
    String detail = cause == null ? "" : " (" + cause.getMessage() + ")";
    return reused && !gotBytes
        ? new UpstreamException(UpstreamException.Kind.STALE_CONNECTION, "a pooled connection to " + target
            + " was closed before the response" + detail, cause)
        : new UpstreamException(UpstreamException.Kind.BROKEN, target + " closed the connection before a complete "
            + "response" + detail, cause);
  }

  private void fail(UpstreamException error, boolean close) {
    Promise<FullHttpResponse> promise = current;
    clear();
    if (promise != null) {
      promise.tryFailure(error);
    }
    if (close) {
      ctx.close();
    }
  }

  private void clear() {
    current = null;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  boolean busy() {
    return current != null;
  }
}
