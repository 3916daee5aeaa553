package dev.plonk.gateway.system;

import dev.plonk.gateway.http.ResponseStream;
import dev.plonk.gateway.http.Responses;
import dev.plonk.gateway.provider.FunctionProvider;
import dev.plonk.gateway.provider.LogSource;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code GET /system/logs?name=&namespace=&instance=&tail=&since=&follow=}, as faas-provider's log handler: one
 * JSON {@link LogSource.LogMessage} per line ({@code application/x-ndjson}), streamed while the provider reads them;
 * with {@code follow=true} until the client goes away. {@code faas-cli logs NAME} reads exactly this.
 */
final class LogRoutes {
  private final FunctionProvider provider;

  LogRoutes(FunctionProvider provider) {
    this.provider = provider;
  }

  List<SystemRoute> routes() {
    return List.of(new SystemRoute(HttpMethod.GET, "/system/logs", this::logs));
  }

  private FullHttpResponse logs(SystemRequest request) throws Exception {
    LogSource source = provider.logs();
    String name = request.query("name");
    if (name == null || name.isBlank()) {
      throw new SystemRequest.BadRequest("'name' is missing; GET /system/logs?name=<function>[&namespace=][&tail=N]"
          + "[&since=RFC3339][&follow=true]");
    }
    SystemRequest.functionName(name);
    String ns = request.namespace(null, "function " + name);
    if (provider.get(ns, name).isEmpty()) {
      throw new SystemRequest.NotFound(SystemRequest.missing("function " + name, ns));
    }
    LogSource.LogRequest logRequest = new LogSource.LogRequest(name, ns, blankToNull(request.query("instance")),
        since(request.query("since")), tail(request.query("tail")), "true".equalsIgnoreCase(request.query("follow")));
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson");
    ResponseStream stream = request.exchange().stream(head);
    if (stream == null) {
      return null;
    }
    try (stream) {
      source.read(logRequest, message -> write(stream, message), stream::open);
    }
    return null;
  }

  private static void write(ResponseStream stream, LogSource.LogMessage message) {
    try {
      byte[] line = Responses.JSON.writeValueAsBytes(message);
      byte[] withNewline = java.util.Arrays.copyOf(line, line.length + 1);
      withNewline[line.length] = '\n';
      stream.write(withNewline);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.close();
    }
  }

  private static Instant since(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new SystemRequest.BadRequest("'since' must be an RFC 3339 time such as 2026-01-02T15:04:05Z, got '" + value
          + "'");
    }
  }

  private static int tail(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new SystemRequest.BadRequest("'tail' must be an integer (lines per instance; -1 for all), got '" + value
          + "'");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
