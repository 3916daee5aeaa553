package dev.plonk.gateway.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes connections over the limit at once, and tracks open ones in a group so a shutdown can close them. */
@ChannelHandler.Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimitHandler.class);

  private final int maxConnections;
  private final ChannelGroup open;
  private final AtomicInteger count = new AtomicInteger();

  public ConnectionLimitHandler(int maxConnections, ChannelGroup open) {
    this.maxConnections = maxConnections;
    this.open = open;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (count.incrementAndGet() > maxConnections) {
      LOG.warn("refusing {}: {} connections open, the limit is {} (--max-connections)", ctx.channel().remoteAddress(),
          count.get() - 1, maxConnections);
      ctx.close();
      return;
    }
    open.add(ctx.channel());
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    count.decrementAndGet();
    ctx.fireChannelInactive();
  }
}
