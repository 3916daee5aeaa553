package dev.plonk.gateway.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slow and idle clients: a connection with no request under way is closed after the idle timeout (this includes a
 * client trickling its headers), and a request whose body is not complete within the read timeout is dropped with
 * its connection. While the gateway is working on a response no deadline runs here (upstream timeouts apply).
 * One lazily re-armed timer per connection: moving the deadline costs no scheduling.
 */
public final class ClientTimeoutHandler extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ClientTimeoutHandler.class);
  private static final long NONE = Long.MAX_VALUE;

  private final long idleNanos;
  private final long readNanos;
  /** The timer's period: no deadline set later can come before a timer scheduled this far ahead. */
  private final long checkNanos;
  private long deadline = NONE;
  private String phase = "idle";
  private ScheduledFuture<?> timer;

  public ClientTimeoutHandler(Duration idleTimeout, Duration readTimeout) {
    this.idleNanos = idleTimeout.toNanos();
    this.readNanos = readTimeout.toNanos();
    this.checkNanos = Math.min(idleNanos, readNanos);
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
      deadline = NONE;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof LastHttpContent) { // a whole response (a streamed one only at its end)
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
    stop();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  private void arm(ChannelHandlerContext ctx, long nanos, String newPhase) {
    long now = System.nanoTime();
    deadline = now + nanos;
    phase = newPhase;
    if (timer == null) {
      timer = ctx.executor().schedule(() -> fire(ctx), checkNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void fire(ChannelHandlerContext ctx) {
    timer = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    long now = System.nanoTime();
    if (deadline == NONE) {
      // busy with a response: look again one idle period later
      timer = ctx.executor().schedule(() -> fire(ctx), checkNanos, TimeUnit.NANOSECONDS);
    } else if (now - deadline >= 0) {
      LOG.debug("closing {}: {} timeout", ctx.channel(), phase);
      ctx.close();
    } else {
      timer = ctx.executor().schedule(() -> fire(ctx), deadline - now, TimeUnit.NANOSECONDS);
    }
  }

  private void stop() {
    deadline = NONE;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
