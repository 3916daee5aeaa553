package dev.plonk.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpressure and ordering: the channel starts with AUTO_READ off; this handler turns reading on when the connection
 * opens and keeps it on while the connection's outbound buffer is writable and no request waits behind the one being
 * answered, so a client that sends one request at a time costs no read toggling (turning reads off and on again for
 * every request cost two {@code epoll_ctl} calls per request). A request that arrives while one is being answered
 * waits, and reading stops until it is started; a client that does not read its responses stops being read once the
 * outbound buffer passes its high water mark. Each aggregated request is wrapped in an {@link Exchange} and exchanges
 * are passed on one at a time (a pipelined request waits for the previous response).
 */
public final class ExchangeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ExchangeHandler.class);

  /** Pipelined requests held while one is answered; a client sending more is closed. */
  static final int MAX_PIPELINED = 16;

  private final InFlight inFlight;
  private final BooleanSupplier draining;
  private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
  private Exchange current;

  public ExchangeHandler(InFlight inFlight, BooleanSupplier draining) {
    this.inFlight = inFlight;
    this.draining = draining;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(true);
    ctx.fireChannelActive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    readWhileIdleAndWritable(ctx);
    ctx.fireChannelWritabilityChanged();
  }

  private void readWhileIdleAndWritable(ChannelHandlerContext ctx) {
    boolean read = ctx.channel().isWritable() && pending.isEmpty();
    if (ctx.channel().config().isAutoRead() != read) {
      ctx.channel().config().setAutoRead(read);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (current != null) {
      if (pending.size() >= MAX_PIPELINED) {
        LOG.warn("closing {}: more than {} pipelined requests are waiting for answers", ctx.channel(), MAX_PIPELINED);
        request.release();
        ctx.close();
        return;
      }
      pending.add(request);
      readWhileIdleAndWritable(ctx);
    } else {
      start(ctx, request);
    }
  }

  private void start(ChannelHandlerContext ctx, FullHttpRequest request) {
    inFlight.increment();
    current = new Exchange(ctx, request, draining.getAsBoolean(), (exchange, keepGoing) -> done(ctx, keepGoing));
    ctx.fireChannelRead(current);
  }

  private void done(ChannelHandlerContext ctx, boolean keepGoing) {
    inFlight.decrement();
    current = null;
    if (!keepGoing) {
      releasePending();
      return;
    }
    FullHttpRequest next = pending.poll();
    if (next != null) {
      start(ctx, next);
    }
    readWhileIdleAndWritable(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releasePending();
    ctx.fireChannelInactive();
  }

  private void releasePending() {
    FullHttpRequest request;
    while ((request = pending.poll()) != null) {
      ReferenceCountUtil.release(request);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("closing {} after {}", ctx.channel(), cause.toString());
    ctx.close();
  }
}
