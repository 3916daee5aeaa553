package dev.plonk.gateway.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers what the HTTP decoder could not parse, then closes: 431 for headers over the limit, 414 for a request
 * line over the limit, 400 for anything else malformed. A well-formed message passes on untouched.
 */
public final class DecoderFailureHandler extends ChannelInboundHandlerAdapter {
  private final int maxHeaderBytes;
  private final int maxInitialLineBytes;
  private boolean failed;

  public DecoderFailureHandler(int maxHeaderBytes, int maxInitialLineBytes) {
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxInitialLineBytes = maxInitialLineBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (failed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof DecoderResultProvider provider && provider.decoderResult().isFailure()) {
      failed = true;
      Throwable cause = provider.decoderResult().cause();
      ReferenceCountUtil.release(msg);
      FullHttpResponse response = responseFor(cause);
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  FullHttpResponse responseFor(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return Responses.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request headers are larger than "
          + maxHeaderBytes + " bytes; send fewer or smaller headers");
    }
    if (cause instanceof TooLongHttpLineException) {
      return Responses.error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "the request line is longer than "
          + maxInitialLineBytes + " bytes; shorten the path or query, or send the data in the body");
    }
    String detail = cause instanceof TooLongFrameException || cause == null ? "" : ": " + cause.getMessage();
    return Responses.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request" + detail
        + "; expected an HTTP/1.x request such as 'GET /function/<name> HTTP/1.1' followed by headers");
  }
}
