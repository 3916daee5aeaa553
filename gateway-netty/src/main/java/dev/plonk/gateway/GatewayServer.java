package dev.plonk.gateway;

import dev.plonk.gateway.http.InFlight;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap: epoll when available (NIO otherwise), child channels with AUTO_READ off, and a graceful stop that
 * closes the listener, drains requests in flight up to a timeout, then closes every connection.
 */
public final class GatewayServer {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final boolean epoll = Epoll.isAvailable();
  private Channel listener;

  public GatewayServer(int workerThreads) {
    var factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.boss = new MultiThreadIoEventLoopGroup(1, factory);
    this.workers = new MultiThreadIoEventLoopGroup(workerThreads, factory);
  }

  /** The client channel type matching the transport, for upstream connections on the same loops. */
  public Class<? extends SocketChannel> clientChannelType() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  public InetSocketAddress bind(String host, int port, ChannelInitializer<? extends Channel> initializer)
      throws InterruptedException {
    ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(initializer);
    listener = bootstrap.bind(host, port).sync().channel();
    InetSocketAddress address = (InetSocketAddress) listener.localAddress();
    LOG.info("listening on {} ({})", address, epoll ? "epoll" : "nio");
    return address;
  }

  /** Stops accepting, waits for {@code inFlight} to reach zero (bounded by {@code drain}), closes all connections. */
  public void stop(InFlight inFlight, ChannelGroup connections, Duration drain) {
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
    long deadline = System.nanoTime() + drain.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (inFlight.get() > 0) {
      LOG.warn("{} requests still in flight after the drain timeout of {}; closing their connections", inFlight.get(), drain);
    }
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  public EventLoopGroup workers() {
    return workers;
  }
}
