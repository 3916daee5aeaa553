package dev.plonk.gateway.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request-target parsed strictly (RFC 3986): only printable ASCII, every {@code %} followed by two hex digits, and
 * the percent-decoded bytes valid UTF-8. Anything else is refused with a message, so that a handler never sees a
 * half-decoded path and a malformed URI never becomes a 500.
 *
 * @param rawPath  the path as sent (origin form; an absolute-form target loses its scheme and authority)
 * @param path     the path, percent-decoded ({@code +} stays {@code +})
 * @param rawQuery the query as sent, without {@code ?}, or null
 * @param params   the query parameters, decoded ({@code +} is a space), in order
 */
public record RequestTarget(String rawPath, String path, String rawQuery, Map<String, List<String>> params) {

  /** The path and query as sent, in origin form ({@code /path?query}). */
  public String originForm() {
    return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
  }

  /** The first value of a query parameter, or null. */
  public String param(String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** @throws InvalidTargetException with a message that says what is wrong and what is expected */
  public static RequestTarget parse(String uri) {
    checkCharacters(uri);
    String target = uri;
    if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    if (!target.startsWith("/")) {
      throw new InvalidTargetException("the request target '" + abbreviate(uri) + "' is not a path; expected one "
          + "starting with '/', such as /function/<name>");
    }
    int fragment = target.indexOf('#');
    if (fragment >= 0) {
      target = target.substring(0, fragment);
    }
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    String rawQuery = q < 0 ? null : target.substring(q + 1);
    return new RequestTarget(rawPath, decode(rawPath, false, "path"), rawQuery, params(rawQuery));
  }

  private static Map<String, List<String>> params(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("[&;]")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), true, "query");
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true, "query");
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static void checkCharacters(String uri) {
    if (uri.isEmpty()) {
      throw new InvalidTargetException("the request target is empty; expected a path such as /healthz");
    }
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new InvalidTargetException(String.format("the request target has the byte 0x%02X at position %d; a URI "
            + "holds printable ASCII only: percent-encode anything else as UTF-8 (%%XX)", (int) c & 0xff, i));
      }
    }
  }

  private static String decode(String s, boolean plusIsSpace, String part) {
    if (s.indexOf('%') < 0) {
      return plusIsSpace ? s.replace('+', ' ') : s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
        if (lo < 0) {
          throw new InvalidTargetException("bad percent-encoding in the " + part + " at '" + abbreviate(s.substring(i))
              + "': '%' must be followed by two hex digits (write a literal '%' as %25)");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        bytes.write(plusIsSpace && c == '+' ? ' ' : c);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidTargetException("the " + part + " '" + abbreviate(s) + "' percent-decodes to bytes that are not "
          + "valid UTF-8; encode text as UTF-8 before percent-encoding it");
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  /** A request-target that is not a well-formed URI path and query. */
  public static final class InvalidTargetException extends RuntimeException {
    public InvalidTargetException(String message) {
      super(message);
    }
  }
}
