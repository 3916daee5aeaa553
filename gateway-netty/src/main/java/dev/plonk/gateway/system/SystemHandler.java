package dev.plonk.gateway.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.plonk.gateway.GatewayConfig;
import dev.plonk.gateway.http.Exchange;
import dev.plonk.gateway.http.Responses;
import dev.plonk.gateway.http.RouteHandler;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The OpenFaaS {@code /system} API over {@link FunctionsApi}. Kubernetes calls block, so each request runs on a small
 * executor and the exchange answers on its event loop.
 */
public final class SystemHandler implements RouteHandler {
  private final FunctionsApi functions;
  private final Executor blocking;
  private final GatewayConfig config;

  public SystemHandler(FunctionsApi functions, Executor blocking, GatewayConfig config) {
    this.functions = functions;
    this.blocking = blocking;
    this.config = config;
  }

  @Override
  public void handle(Exchange exchange) {
    byte[] body = ByteBufUtil.getBytes(exchange.request().content());
    HttpMethod method = exchange.request().method();
    String path = exchange.path();
    String namespaceParam = exchange.query("namespace");
    Supplier<FullHttpResponse> work = () -> route(method, path, namespaceParam, body);
    try {
      blocking.execute(() -> exchange.respond(run(work)));
    } catch (RejectedExecutionException e) {
      exchange.respond(Responses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the gateway is shutting down"));
    }
  }

  private static FullHttpResponse run(Supplier<FullHttpResponse> work) {
    try {
      return work.get();
    } catch (BadRequest e) {
      return Responses.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
    } catch (KubernetesClientException e) {
      int code = e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 502;
      return Responses.error(HttpResponseStatus.valueOf(code), "Kubernetes refused the request: "
          + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
    }
  }

  private FullHttpResponse route(HttpMethod method, String path, String namespaceParam, byte[] body) {
    String namespace = namespaceParam == null || namespaceParam.isBlank() ? config.functionNamespace() : namespaceParam;
    if (path.equals("/system/functions")) {
      if (HttpMethod.GET.equals(method)) {
        return Responses.json(HttpResponseStatus.OK, functions.list(namespace));
      } else if (HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method)) {
        return deploy(HttpMethod.POST.equals(method), namespace, body);
      } else if (HttpMethod.DELETE.equals(method)) {
        return delete(namespace, body);
      }
      return notAllowed(method, path, "GET, POST, PUT, DELETE");
    }
    if (path.startsWith("/system/function/") && HttpMethod.GET.equals(method)) {
      String name = path.substring("/system/function/".length());
      return functions.get(namespace, name).map(s -> Responses.json(HttpResponseStatus.OK, s))
          .orElseGet(() -> notFound(name, namespace));
    }
    if (path.startsWith("/system/scale-function/")) {
      if (!HttpMethod.POST.equals(method)) {
        return notAllowed(method, path, "POST");
      }
      return scale(path.substring("/system/scale-function/".length()), namespace, body);
    }
    if (path.equals("/system/info") && HttpMethod.GET.equals(method)) {
      return Responses.json(HttpResponseStatus.OK, Map.of(
          "provider", Map.of("provider", "plonk", "orchestration", "kubernetes",
              "version", Map.of("release", GatewayInfo.VERSION)),
          "version", Map.of("release", GatewayInfo.VERSION), "arch", System.getProperty("os.arch"),
          "routing", config.routing().name()));
    }
    if (path.equals("/system/namespaces") && HttpMethod.GET.equals(method)) {
      return Responses.json(HttpResponseStatus.OK, functions.namespaces());
    }
    return Responses.error(HttpResponseStatus.NOT_FOUND, method + " " + path + " is not part of the /system API; "
        + "see GET|POST|PUT|DELETE /system/functions, GET /system/function/<name>, POST /system/scale-function/<name>, "
        + "GET /system/info, GET /system/namespaces");
  }

  private FullHttpResponse deploy(boolean create, String queryNamespace, byte[] body) {
    FunctionDeployment function = parse(body, FunctionDeployment.class, "a FunctionDeployment such as "
        + "{\"service\":\"echo\",\"image\":\"ghcr.io/example/echo:1\"}");
    if (function.service() == null || function.service().isBlank()) {
      throw new BadRequest("the FunctionDeployment has no 'service'; set it to the function name");
    }
    if (!function.service().matches("[a-z]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw new BadRequest("invalid service name '" + function.service() + "': expected a DNS-1035 label "
          + "(lower-case letters, digits and '-', starting with a letter)");
    }
    if (function.image() == null || function.image().isBlank()) {
      throw new BadRequest("the FunctionDeployment for '" + function.service() + "' has no 'image'; set it to the "
          + "container image to run");
    }
    String namespace = function.namespace() == null || function.namespace().isBlank() ? queryNamespace
        : function.namespace();
    boolean exists = functions.exists(namespace, function.service());
    if (create && exists) {
      return Responses.error(HttpResponseStatus.CONFLICT, "function " + function.service() + "." + namespace
          + " already exists; update it with PUT /system/functions or delete it first");
    }
    if (!create && !exists) {
      return notFound(function.service(), namespace);
    }
    functions.apply(namespace, function);
    return Responses.json(HttpResponseStatus.ACCEPTED, Map.of("message", (create ? "deployed " : "updated ")
        + function.service() + "." + namespace));
  }

  private FullHttpResponse delete(String queryNamespace, byte[] body) {
    JsonNode json = parse(body, JsonNode.class, "{\"functionName\":\"<name>\"}");
    String name = json.path("functionName").asText("");
    if (name.isBlank()) {
      throw new BadRequest("the delete request has no 'functionName'; send {\"functionName\":\"<name>\"}");
    }
    String namespace = json.path("namespace").asText("").isBlank() ? queryNamespace : json.path("namespace").asText();
    return functions.delete(namespace, name)
        ? Responses.json(HttpResponseStatus.ACCEPTED, Map.of("message", "deleted " + name + "." + namespace))
        : notFound(name, namespace);
  }

  private FullHttpResponse scale(String name, String queryNamespace, byte[] body) {
    JsonNode json = parse(body, JsonNode.class, "{\"serviceName\":\"<name>\",\"replicas\":2}");
    JsonNode replicas = json.path("replicas");
    if (!replicas.canConvertToInt() || !replicas.isIntegralNumber() || replicas.asInt() < 0) {
      throw new BadRequest("'replicas' must be a non-negative integer, got " + replicas);
    }
    String namespace = json.path("namespace").asText("").isBlank() ? queryNamespace : json.path("namespace").asText();
    return functions.scale(namespace, name, replicas.asInt())
        ? Responses.json(HttpResponseStatus.ACCEPTED, Map.of("message", "scaled " + name + "." + namespace + " to "
            + replicas.asInt()))
        : notFound(name, namespace);
  }

  private static <T> T parse(byte[] body, Class<T> type, String example) {
    if (body.length == 0) {
      throw new BadRequest("the request body is empty; expected JSON: " + example);
    }
    try {
      T value = Responses.JSON.readValue(body, type);
      if (value == null) {
        throw new BadRequest("the request body is JSON null; expected " + example);
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new BadRequest("the request body is not valid JSON (" + e.getOriginalMessage() + "); expected " + example);
    } catch (IOException e) {
      throw new BadRequest("cannot read the request body: " + e.getMessage());
    }
  }

  private static FullHttpResponse notFound(String name, String namespace) {
    return Responses.error(HttpResponseStatus.NOT_FOUND, "function " + name + "." + namespace + " not found; list "
        + "functions with GET /system/functions?namespace=" + namespace);
  }

  private static FullHttpResponse notAllowed(HttpMethod method, String path, String allowed) {
    FullHttpResponse response = Responses.error(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not allowed on "
        + path + "; use " + allowed);
    response.headers().set(HttpHeaderNames.ALLOW, allowed);
    return response;
  }

  /** A request body or parameter that is wrong; the message says what and what is expected. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }
}
