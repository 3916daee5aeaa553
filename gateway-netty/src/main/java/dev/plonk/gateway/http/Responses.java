package dev.plonk.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the gateway's own responses: JSON documents and JSON errors that say what was wrong and what to do. */
public final class Responses {
  public static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Responses() {}

  /** {@code {"status":404,"error":"Not Found","message":"..."}}. */
  public static FullHttpResponse error(HttpResponseStatus status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status.code());
    body.put("error", status.reasonPhrase());
    body.put("message", message);
    return json(status, body);
  }

  public static FullHttpResponse json(HttpResponseStatus status, Object body) {
    try {
      return bytes(status, JSON.writeValueAsBytes(body), HttpHeaderValues.APPLICATION_JSON.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static FullHttpResponse text(HttpResponseStatus status, String body) {
    return bytes(status, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain; charset=utf-8");
  }

  public static FullHttpResponse bytes(HttpResponseStatus status, byte[] body, String contentType) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }
}
