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
import java.util.List;

/**
 * Refuses a request whose framing the gateway cannot trust, with {@code HTTP/1.1 400} and a JSON body, then closes;
 * everything after it on the connection is dropped:
 * <ul>
 *   <li>a version that is not HTTP/1.x (an HTTP/2 prior-knowledge preface {@code PRI * HTTP/2.0}, or any other);
 *   <li>a {@code Transfer-Encoding} other than exactly {@code chunked} (several codings, an unknown or mangled one):
 *       where the body ends is then ambiguous (RFC 9112, 6.3), and no function should see the request.
 * </ul>
 * 400 rather than 505 or 501: the client sent something this server cannot parse as its protocol, and no input makes
 * the gateway answer 5xx.
 */
public final class RequestFramingHandler extends ChannelInboundHandlerAdapter {
  private boolean refused;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      String problem = problem(request);
      if (problem != null) {
        refused = true;
        ReferenceCountUtil.release(msg);
        FullHttpResponse response = Responses.error(HttpResponseStatus.BAD_REQUEST, problem);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private static String problem(HttpRequest request) {
    if (request.protocolVersion().majorVersion() != 1) {
      return request.protocolVersion().text() + " is not supported"
          + (request.protocolVersion().majorVersion() == 2 ? " (no HTTP/2 prior knowledge or h2c)" : "")
          + "; the gateway speaks HTTP/1.1 and HTTP/1.0";
    }
    List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    boolean chunkedAlone = codings.size() == 1 && HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(codings.get(0).trim());
    if (!codings.isEmpty() && !chunkedAlone) {
      return "unsupported Transfer-Encoding " + codings + ": the gateway accepts a body with Content-Length or "
          + "Transfer-Encoding: chunked alone";
    }
    return null;
  }
}
