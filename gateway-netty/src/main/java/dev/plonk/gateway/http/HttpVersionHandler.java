package dev.plonk.gateway.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers a request whose version is not HTTP/1.x (an HTTP/2 prior-knowledge preface {@code PRI * HTTP/2.0}, or any
 * other) with {@code HTTP/1.1 400} and a JSON body naming the versions served, then closes; everything after it on the
 * connection is dropped. 400 rather than 505: the client sent something this server cannot parse as its protocol,
 * and no input makes the gateway answer 5xx.
 */
public final class HttpVersionHandler extends ChannelInboundHandlerAdapter {
  private boolean refused;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request && request.protocolVersion().majorVersion() != 1) {
      refused = true;
      String version = request.protocolVersion().text();
      ReferenceCountUtil.release(msg);
      FullHttpResponse response = Responses.error(HttpResponseStatus.BAD_REQUEST, version + " is not "
          + "supported" + (request.protocolVersion().majorVersion() == 2 ? " (no HTTP/2 prior knowledge or h2c)" : "")
          + "; the gateway speaks HTTP/1.1 and HTTP/1.0");
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
