package dev.plonk.gateway.system;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;

/**
 * One row of the {@code /system} table: a method, a path ({@code /system/functions}, or a prefix ending in '/' whose
 * remainder is the {@code {name}}), and the operation. The operation runs off the event loop and returns the
 * response, or null if it answered the exchange itself (a stream).
 */
public record SystemRoute(HttpMethod method, String path, Operation operation) {

  /** The work of one route. */
  @FunctionalInterface
  public interface Operation {
    FullHttpResponse apply(SystemRequest request) throws Exception;
  }

  /** True if the path names a {@code {name}} after its prefix. */
  boolean takesName() {
    return path.endsWith("/");
  }

  /** True if {@code requestPath} is this route's path (any method). */
  boolean matchesPath(String requestPath) {
    return takesName() ? requestPath.startsWith(path) && requestPath.length() > path.length()
        && requestPath.indexOf('/', path.length()) < 0 : requestPath.equals(path);
  }
}
