package dev.plonk.call;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Map;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The OpenFaaS call headers (set by the gateway on a call, by the queue-worker on a callback), and which headers are
 * hop-by-hop (never forwarded).
 */
public final class CallHeaders {
  public static final String CALL_ID = "X-Call-Id";
  public static final String START_TIME = "X-Start-Time";
  public static final String DURATION_SECONDS = "X-Duration-Seconds";
  public static final String FORWARDED_FOR = "X-Forwarded-For";
  public static final String FORWARDED_HOST = "X-Forwarded-Host";
  public static final String CALLBACK_URL = "X-Callback-Url";
  /** On a callback: the function's HTTP status. */
  public static final String FUNCTION_STATUS = "X-Function-Status";
  /** On a callback: {@code name.namespace}. */
  public static final String FUNCTION_NAME = "X-Function-Name";

  private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
      HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
      AsciiString.cached("proxy-connection"), HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.HOST);

  private CallHeaders() {}

  /** A random (version 4) UUID without the lock of {@link UUID#randomUUID()}'s shared SecureRandom. */
  public static String newCallId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** Seconds with microsecond precision, e.g. {@code 0.001234}, without a Formatter. */
  public static String seconds(double seconds) {
    long micros = Math.max(0, Math.round(seconds * 1_000_000));
    String fraction = Long.toString(micros % 1_000_000);
    return micros / 1_000_000 + "." + "000000".substring(fraction.length()) + fraction;
  }

  /** True for headers that describe one connection rather than the message (plus Host and Content-Length, re-set). */
  public static boolean hopByHop(CharSequence name) {
    for (int i = 0; i < HOP_BY_HOP.size(); i++) {
      if (AsciiString.contentEqualsIgnoreCase(HOP_BY_HOP.get(i), name)) {
        return true;
      }
    }
    return false;
  }

  /** Copies the end-to-end headers, without converting names and values to Strings. */
  public static void copyEndToEnd(HttpHeaders from, HttpHeaders to) {
    Iterator<Map.Entry<CharSequence, CharSequence>> it = from.iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      if (!hopByHop(header.getKey())) {
        to.add(header.getKey(), header.getValue());
      }
    }
  }
}
