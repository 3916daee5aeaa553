package dev.plonk.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Why a call to an upstream failed, and the status the client gets for it. */
public final class UpstreamException extends RuntimeException {
  /** The failure classes: only connection failures may be retried (for idempotent methods). */
  public enum Kind {
    /** The connection could not be made (refused, unreachable): 502, retryable. */
    CONNECT_REFUSED(HttpResponseStatus.BAD_GATEWAY, true),
    /** The connection was not made in time: 504, retryable. */
    CONNECT_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, true),
    /** A pooled keep-alive connection was closed by the upstream before this request was answered: 502, retryable. */
    STALE_CONNECTION(HttpResponseStatus.BAD_GATEWAY, true),
    /** The upstream closed or broke the connection while answering: 502. */
    BROKEN(HttpResponseStatus.BAD_GATEWAY, false),
    /** No response within the response timeout: 504. */
    RESPONSE_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, false);

    private final HttpResponseStatus status;
    private final boolean connectFailure;

    Kind(HttpResponseStatus status, boolean connectFailure) {
      this.status = status;
      this.connectFailure = connectFailure;
    }

    public HttpResponseStatus status() {
      return status;
    }

    public boolean connectFailure() {
      return connectFailure;
    }
  }

  private final Kind kind;

  public UpstreamException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
