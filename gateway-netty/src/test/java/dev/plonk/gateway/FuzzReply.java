package dev.plonk.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges what the gateway sent back on one fuzzed connection: nothing (a clean close), or one or more responses each
 * starting with an HTTP/1.x status line below 500, with a well-formed head.
 *
 * @param ok      the reply is acceptable
 * @param outcome a short label ("close", "400", "200+404", ...) or why the reply is wrong
 */
record FuzzReply(boolean ok, String outcome) {
  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3}) [^\\r\\n]*");

  static FuzzReply judge(byte[] bytes) {
    if (bytes.length == 0) {
      return new FuzzReply(true, "close");
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    StringBuilder codes = new StringBuilder();
    int pos = 0;
    while (pos < text.length()) {
      int lineEnd = text.indexOf("\r\n", pos);
      int headEnd = text.indexOf("\r\n\r\n", pos);
      if (lineEnd < 0 || headEnd < 0) {
        return new FuzzReply(false, "a response head that never ends: " + abbreviate(text.substring(pos)));
      }
      Matcher status = STATUS.matcher(text.substring(pos, lineEnd));
      if (!status.matches()) {
        return new FuzzReply(false, "not an HTTP/1.x status line: '" + abbreviate(text.substring(pos, lineEnd)) + "'");
      }
      int code = Integer.parseInt(status.group(1));
      if (code >= 500 || code < 100) {
        return new FuzzReply(false, "status " + code + ": " + abbreviate(text.substring(pos)));
      }
      codes.append(codes.length() == 0 ? "" : "+").append(code);
      Integer length = contentLength(text.substring(lineEnd + 2, headEnd + 2));
      if (length == null) {
        break; // the body runs to the close (or there is none, e.g. 100 Continue followed by nothing)
      }
      pos = headEnd + 4 + length;
    }
    return new FuzzReply(true, codes.toString());
  }

  private static Integer contentLength(String headers) {
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return null;
  }

  private static String abbreviate(String s) {
    String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    return shown.replace("\r", "\\r").replace("\n", "\\n");
  }
}
