package dev.plonk.gateway.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Basic auth on {@code /system/*}: a missing or wrong {@code Authorization} gets 401 with {@code WWW-Authenticate}. */
@ChannelHandler.Sharable
public final class AuthHandler extends ChannelInboundHandlerAdapter {
  private final BasicAuth auth;

  public AuthHandler(BasicAuth auth) {
    this.auth = auth;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Exchange exchange && exchange.rawPath().startsWith("/system/")) {
      String header = exchange.request().headers().get(HttpHeaderNames.AUTHORIZATION);
      if (!auth.accepts(header)) {
        FullHttpResponse response = Responses.error(HttpResponseStatus.UNAUTHORIZED, header == null
            ? "/system requires basic auth and no Authorization header was sent; send 'Authorization: Basic "
                + "base64(user:password)' with the gateway's credentials"
            : "the credentials in the Authorization header are wrong; use the user and password from the gateway's "
                + "secret folder (basic-auth-user, basic-auth-password)");
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"plonk\", charset=\"UTF-8\"");
        exchange.respond(response);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }
}
