package dev.plonk.queue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * A small keep-alive HTTP/1.1 client for one origin (the gateway), on Netty: idle connections are reused, one
 * request per connection at a time. The JDK client costs several times more CPU per call, which the drain
 * benchmark showed to be the worker's bottleneck.
 */
public final class PooledHttpClient implements AutoCloseable {
  /** A whole response. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {}

  private static final AttributeKey<CompletableFuture<Response>> PENDING = AttributeKey.valueOf("plonk.pending");

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final String host;
  private final int port;
  private final ConcurrentLinkedQueue<Channel> idle = new ConcurrentLinkedQueue<>();

  public PooledHttpClient(URI origin, Duration connectTimeout, int maxBodyBytes) throws SSLException {
    boolean tls = "https".equalsIgnoreCase(origin.getScheme());
    host = origin.getHost();
    port = origin.getPort() > 0 ? origin.getPort() : tls ? 443 : 80;
    boolean epoll = Epoll.isAvailable();
    group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    SslContext ssl = tls ? SslContextBuilder.forClient().build() : null;
    bootstrap = new Bootstrap().group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            if (ssl != null) {
              channel.pipeline().addLast(ssl.newHandler(channel.alloc(), host, port));
            }
            channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(maxBodyBytes),
                new ResponseHandler());
          }
        });
  }

  /** Sends {@code request} (this client releases it) and completes with the response or the failure. */
  public CompletableFuture<Response> send(FullHttpRequest request, Duration timeout) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    Channel channel = idleChannel();
    if (channel != null) {
      write(channel, request, result, timeout);
    } else {
      bootstrap.connect(host, port).addListener(f -> {
        if (f.isSuccess()) {
          write(((io.netty.channel.ChannelFuture) f).channel(), request, result, timeout);
        } else {
          request.release();
          result.completeExceptionally(new IOException("cannot connect to " + host + ":" + port + ": "
              + f.cause().getMessage(), f.cause()));
        }
      });
    }
    return result;
  }

  private Channel idleChannel() {
    Channel channel;
    while ((channel = idle.poll()) != null) {
      if (channel.isActive()) {
        return channel;
      }
    }
    return null;
  }

  private void write(Channel channel, FullHttpRequest request, CompletableFuture<Response> result, Duration timeout) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> write(channel, request, result, timeout));
      return;
    }
    channel.attr(PENDING).set(result);
    var timer = channel.eventLoop().schedule(() -> {
      if (result.completeExceptionally(new TimeoutException("no response from " + host + ":" + port + " within "
          + timeout.toMillis() + " ms"))) {
        channel.close();
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    result.whenComplete((r, e) -> timer.cancel(false));
    channel.writeAndFlush(request).addListener(f -> {
      if (!f.isSuccess() && result.completeExceptionally(new IOException("cannot send to " + host + ":" + port + ": "
          + f.cause().getMessage(), f.cause()))) {
        channel.close();
      }
    });
  }

  private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      CompletableFuture<Response> result = ctx.channel().attr(PENDING).getAndSet(null);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (Map.Entry<String, String> header : response.headers()) {
        headers.computeIfAbsent(header.getKey(), k -> new ArrayList<>(1)).add(header.getValue());
      }
      Response value = new Response(response.status().code(), headers, ByteBufUtil.getBytes(response.content()));
      if (HttpUtil.isKeepAlive(response) && result != null && !result.isDone()) {
        idle.add(ctx.channel());
      } else {
        ctx.close();
      }
      if (result != null) {
        result.complete(value);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail(ctx, new IOException("connection to " + host + ":" + port + " closed before a response"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(ctx, new IOException("connection to " + host + ":" + port + " failed: " + cause.getMessage(), cause));
      ctx.close();
    }

    private void fail(ChannelHandlerContext ctx, IOException error) {
      CompletableFuture<Response> result = ctx.channel().attr(PENDING).getAndSet(null);
      if (result != null) {
        result.completeExceptionally(error);
      }
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
