package dev.plonk.queue;

import dev.plonk.http.UpstreamClient;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The worker's keep-alive client to the gateway: the gateway's own {@link UpstreamClient} (module http-support) on
 * one event loop, answering with whole responses. The JDK client costs several times more CPU per call, which the
 * drain benchmark showed to be the worker's bottleneck.
 */
public final class GatewayClient implements AutoCloseable {
  /** A whole response. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {}

  private final EventLoopGroup group;
  private final EventLoop loop;
  private final UpstreamClient client;
  private final InetSocketAddress gateway;
  private final String host;

  /** @param callTimeout how long a call may wait for its response */
  public GatewayClient(URI origin, Duration connectTimeout, Duration callTimeout, int maxBodyBytes)
      throws SSLException {
    boolean tls = "https".equalsIgnoreCase(origin.getScheme());
    host = origin.getHost();
    gateway = InetSocketAddress.createUnresolved(host, origin.getPort() > 0 ? origin.getPort() : tls ? 443 : 80);
    boolean epoll = Epoll.isAvailable();
    group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    loop = group.next();
    SslContext ssl = tls ? SslContextBuilder.forClient().build() : null;
    client = new UpstreamClient(epoll ? EpollSocketChannel.class : NioSocketChannel.class, connectTimeout, callTimeout,
        maxBodyBytes, () -> ssl);
  }

  /** Sends {@code request} (this client releases it) and completes with the response or the failure. */
  public CompletableFuture<Response> send(FullHttpRequest request) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    loop.execute(() -> client.send(loop, gateway, host, request).addListener(done -> {
      if (!done.isSuccess()) {
        result.completeExceptionally(done.cause());
        return;
      }
      FullHttpResponse response = (FullHttpResponse) done.getNow();
      try {
        result.complete(new Response(response.status().code(), headers(response), ByteBufUtil.getBytes(response.content())));
      } finally {
        response.release();
      }
    }));
    return result;
  }

  private static Map<String, List<String>> headers(FullHttpResponse response) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : response.headers()) {
      headers.computeIfAbsent(header.getKey(), k -> new ArrayList<>(1)).add(header.getValue());
    }
    return headers;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
