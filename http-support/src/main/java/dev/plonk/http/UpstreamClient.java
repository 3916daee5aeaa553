package dev.plonk.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * HTTP/1.1 client with pooled keep-alive connections per endpoint: the gateway's calls to functions and the
 * queue-worker's calls to the gateway. Each event loop has its own pool and a call is made on the loop it was sent
 * from, so it never crosses threads; connections close with their event loop.
 */
public final class UpstreamClient {
  private static final int MAX_IDLE_PER_ENDPOINT = 256;

  private final Class<? extends Channel> channelType;
  private final long connectTimeoutMillis;
  private final long responseTimeoutNanos;
  private final int maxResponseBytes;
  private final Supplier<SslContext> ssl;
  private final Map<EventLoop, Map<InetSocketAddress, ArrayDeque<Channel>>> pools = new ConcurrentHashMap<>();

  /** @param ssl the client TLS context for upstreams, or a supplier of null for plain HTTP */
  public UpstreamClient(Class<? extends Channel> channelType, Duration connectTimeout, Duration responseTimeout,
      int maxResponseBytes, Supplier<SslContext> ssl) {
    this.channelType = channelType;
    this.connectTimeoutMillis = connectTimeout.toMillis();
    this.responseTimeoutNanos = responseTimeout.toNanos();
    this.maxResponseBytes = maxResponseBytes;
    this.ssl = ssl;
  }

  /**
   * Sends a request (taking ownership of it) from {@code loop}; the future fails with an {@link UpstreamException}.
   * Must be called on {@code loop}.
   */
  public Future<FullHttpResponse> send(EventLoop loop, InetSocketAddress address, String sniHost,
      FullHttpRequest request) {
    Promise<FullHttpResponse> promise = loop.newPromise();
    String target = address.getHostString() + ":" + address.getPort();
    Map<InetSocketAddress, ArrayDeque<Channel>> pool = pools.computeIfAbsent(loop, l -> new HashMap<>());
    ArrayDeque<Channel> idle = pool.get(address);
    while (idle != null && !idle.isEmpty()) {
      Channel channel = idle.pollLast();
      if (channel.isActive()) {
        dispatch(channel, request, promise, true, target, pool, address);
        return promise;
      }
    }
    connect(loop, address, sniHost).addListener((ChannelFuture f) -> {
      if (f.isSuccess()) {
        dispatch(f.channel(), request, promise, false, target, pool, address);
      } else {
        request.release();
        boolean timedOut = f.cause() instanceof ConnectTimeoutException;
        promise.tryFailure(new UpstreamException(timedOut ? UpstreamException.Kind.CONNECT_TIMEOUT
            : UpstreamException.Kind.CONNECT_REFUSED, "cannot connect to " + target + ": " + f.cause().getMessage(),
            f.cause()));
      }
    });
    return promise;
  }

  private void dispatch(Channel channel, FullHttpRequest request, Promise<FullHttpResponse> promise, boolean reused,
      String target, Map<InetSocketAddress, ArrayDeque<Channel>> pool, InetSocketAddress address) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    promise.addListener(done -> {
      if (done.isSuccess() && keepAlive && HttpUtil.isKeepAlive(((FullHttpResponse) done.getNow())) && channel.isActive()) {
        ArrayDeque<Channel> idle = pool.computeIfAbsent(address, a -> new ArrayDeque<>());
        if (idle.size() < MAX_IDLE_PER_ENDPOINT) {
          idle.addLast(channel);
          return;
        }
      }
      channel.close();
    });
    UpstreamHandler handler = channel.pipeline().get(UpstreamHandler.class);
    if (handler == null) { // closed between connect (or pool) and now
      request.release();
      promise.tryFailure(new UpstreamException(UpstreamException.Kind.STALE_CONNECTION, "the connection to " + target
          + " closed before the request was sent", null));
      return;
    }
    handler.send(request, promise, responseTimeoutNanos, reused, target);
  }

  private ChannelFuture connect(EventLoop loop, InetSocketAddress address, String sniHost) {
    SslContext context = ssl.get();
    return new Bootstrap().group(loop).channel(channelType)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeoutMillis)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            if (context != null) {
              ch.pipeline().addLast(context.newHandler(ch.alloc(), sniHost, address.getPort()));
            }
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(maxResponseBytes), new UpstreamHandler());
            ch.closeFuture().addListener(f -> {
              var idle = pools.getOrDefault(loop, Map.of()).get(address);
              if (idle != null) {
                idle.remove(ch);
              }
            });
          }
        })
        .connect(address);
  }
}
