package dev.plonk.gateway.http;

import dev.plonk.gateway.GatewayConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The server pipeline, and nothing else: each step adds the handlers of one concern. */
public final class GatewayChannelInitializer extends ChannelInitializer<Channel> {
  private final GatewayConfig.Limits limits;
  private final Supplier<SslContext> tls;
  private final ConnectionLimitHandler connectionLimit;
  private final RequestDispatcher dispatcher;
  private final InFlight inFlight;
  private final BooleanSupplier draining;

  /**
   * @param tls  the server TLS context, or null for plain HTTP
   */
  public GatewayChannelInitializer(GatewayConfig.Limits limits, Supplier<SslContext> tls,
      ConnectionLimitHandler connectionLimit, RequestDispatcher dispatcher, InFlight inFlight,
      BooleanSupplier draining) {
    this.limits = limits;
    this.tls = tls;
    this.connectionLimit = connectionLimit;
    this.dispatcher = dispatcher;
    this.inFlight = inFlight;
    this.draining = draining;
  }

  @Override
  protected void initChannel(Channel ch) {
    ChannelPipeline pipeline = ch.pipeline();
    pipeline.addLast("connection-limit", connectionLimit);
    addTlsHandlers(ch, pipeline);
    addHttpHandlers(pipeline);
    addApplicationHandlers(pipeline);
  }

  private void addTlsHandlers(Channel ch, ChannelPipeline pipeline) {
    if (tls != null) {
      pipeline.addLast("tls", tls.get().newHandler(ch.alloc()));
    }
  }

  private void addHttpHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("http-codec", new HttpServerCodec(limits.maxInitialLineBytes(), limits.maxHeaderBytes(), 8192));
    pipeline.addLast("client-timeouts", new ClientTimeoutHandler(limits.idleTimeout(), limits.readTimeout()));
    pipeline.addLast("decoder-failures", new DecoderFailureHandler(limits.maxHeaderBytes(), limits.maxInitialLineBytes()));
    pipeline.addLast("request-framing", new RequestFramingHandler());
    pipeline.addLast("aggregator", new LimitedAggregator(limits.maxBodyBytes()));
  }

  private void addApplicationHandlers(ChannelPipeline pipeline) {
    pipeline.addLast("exchange", new ExchangeHandler(inFlight, draining));
    pipeline.addLast("dispatcher", dispatcher);
  }
}
