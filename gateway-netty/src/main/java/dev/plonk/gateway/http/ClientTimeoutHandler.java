package dev.plonk.gateway.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slow and idle clients: a connection with no request under way is closed after the idle timeout (this includes a
 * client trickling its headers), and a request whose body is not complete within the read timeout is dropped with
 * its connection. While the gateway is working on a response no timer runs here (upstream timeouts apply).
 */
public final class ClientTimeoutHandler extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ClientTimeoutHandler.class);

  private final long idleNanos;
  private final long readNanos;
  private ScheduledFuture<?> timer;

  public ClientTimeoutHandler(Duration idleTimeout, Duration readTimeout) {
    this.idleNanos = idleTimeout.toNanos();
    this.readNanos = readTimeout.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      arm(ctx, idleNanos, "idle");
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    arm(ctx, idleNanos, "idle");
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      arm(ctx, readNanos, "request read");
    }
    if (msg instanceof LastHttpContent) {
      disarm();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse || msg instanceof LastHttpContent) {
      promise = promise.unvoid();
      promise.addListener(f -> {
        if (f.isSuccess() && ctx.channel().isActive()) {
          arm(ctx, idleNanos, "idle");
        }
      });
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    disarm();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  private void arm(ChannelHandlerContext ctx, long nanos, String phase) {
    disarm();
    timer = ctx.executor().schedule(() -> {
      LOG.debug("closing {}: {} timeout of {} ms", ctx.channel(), phase, TimeUnit.NANOSECONDS.toMillis(nanos));
      ctx.close();
    }, nanos, TimeUnit.NANOSECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
