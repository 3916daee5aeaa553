package dev.plonk.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The body of a streamed response, written from a blocking thread: each write waits until the bytes are handed to
 * the socket (bounded), so a slow client slows the producer instead of filling memory. The body ends when the
 * connection closes.
 */
public final class ResponseStream implements AutoCloseable {
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

  private final ChannelHandlerContext ctx;
  private final Runnable onEnd;
  private final AtomicBoolean ended = new AtomicBoolean();

  ResponseStream(ChannelHandlerContext ctx, Runnable onEnd) {
    this.ctx = ctx;
    this.onEnd = onEnd;
  }

  /** True while the client is still connected and the stream not ended. */
  public boolean open() {
    return !ended.get() && ctx.channel().isActive();
  }

  /** Writes bytes; false if the client is gone or did not take them within 30 s (then the stream is over). */
  public boolean write(byte[] bytes) throws InterruptedException {
    if (!open()) {
      return false;
    }
    ChannelFuture written = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
    if (!written.await(WRITE_TIMEOUT.toMillis()) || !written.isSuccess()) {
      close();
      return false;
    }
    return true;
  }

  /** Ends the body and closes the connection. */
  @Override
  public void close() {
    if (ended.compareAndSet(false, true)) {
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
        ctx.channel().close();
        onEnd.run();
      });
    }
  }
}
