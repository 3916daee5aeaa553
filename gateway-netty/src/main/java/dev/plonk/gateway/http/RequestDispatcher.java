package dev.plonk.gateway.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each exchange to the route whose path prefix matches; 404 with the list of routes otherwise, and 400 for a
 * request-target that is not a well-formed URI (before any route sees it).
 */
@ChannelHandler.Sharable
public final class RequestDispatcher extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

  /** A path prefix (or exact path, if it does not end in '/') and its handler. */
  public record Mount(String prefix, RouteHandler handler) {
    boolean matches(String path) {
      return prefix.endsWith("/") ? path.startsWith(prefix) : path.equals(prefix);
    }
  }

  private final List<Mount> mounts;

  public RequestDispatcher(List<Mount> mounts) {
    this.mounts = List.copyOf(mounts);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Exchange exchange)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    String path;
    try {
      path = exchange.rawPath();
    } catch (RequestTarget.InvalidTargetException e) {
      exchange.respond(Responses.error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
      return;
    }
    for (Mount mount : mounts) {
      if (mount.matches(path)) {
        try {
          mount.handler().handle(exchange);
        } catch (Exception | Error e) {
          LOG.error("{} {} failed", exchange.request().method(), path, e);
          exchange.respond(Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the gateway failed on "
              + exchange.request().method() + " " + path + ": " + e + "; see the gateway log"));
        }
        return;
      }
    }
    exchange.respond(Responses.error(HttpResponseStatus.NOT_FOUND, "no route for " + path + "; the gateway serves "
        + "/function/<name>[.<namespace>], /async-function/<name>[.<namespace>], /system/..., /healthz and /metrics"));
  }
}
