package dev.plonk.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plonk.gateway.http.Responses;
import dev.plonk.gateway.metrics.GatewayMetrics;
import dev.plonk.gateway.provider.FunctionDeployment;
import dev.plonk.gateway.provider.FunctionProvider;
import dev.plonk.gateway.provider.FunctionStatus;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;

/** The function operations of {@code /system}: list, get, deploy, update, delete, scale. */
final class FunctionRoutes {
  private static final String DEPLOY_EXAMPLE = "a FunctionDeployment such as {\"service\":\"echo\",\"image\":\"ghcr.io/example/echo:1\"}";

  private final FunctionProvider provider;
  private final GatewayMetrics metrics;

  FunctionRoutes(FunctionProvider provider, GatewayMetrics metrics) {
    this.provider = provider;
    this.metrics = metrics;
  }

  List<SystemRoute> routes() {
    return List.of(
        new SystemRoute(HttpMethod.GET, "/system/functions", this::list),
        new SystemRoute(HttpMethod.POST, "/system/functions", r -> deploy(r, true)),
        new SystemRoute(HttpMethod.PUT, "/system/functions", r -> deploy(r, false)),
        new SystemRoute(HttpMethod.DELETE, "/system/functions", this::delete),
        new SystemRoute(HttpMethod.GET, "/system/function/", this::get),
        new SystemRoute(HttpMethod.POST, "/system/scale-function/", this::scale));
  }

  private FullHttpResponse list(SystemRequest request) {
    String ns = request.namespace(null, "functions");
    return Responses.json(HttpResponseStatus.OK, provider.list(ns).stream().map(this::counted).toList());
  }

  private FullHttpResponse get(SystemRequest request) {
    String ns = request.namespace(null, "function " + request.name());
    return provider.get(ns, request.name()).map(s -> Responses.json(HttpResponseStatus.OK, counted(s)))
        .orElseThrow(() -> missing(request.name(), ns));
  }

  private FunctionStatus counted(FunctionStatus status) {
    return status.withInvocationCount(metrics.invocationCount(status.name() + "." + status.namespace()));
  }

  private FullHttpResponse deploy(SystemRequest request, boolean create) {
    FunctionDeployment function = request.body(FunctionDeployment.class, DEPLOY_EXAMPLE);
    if (function.service() == null || function.service().isBlank()) {
      throw new SystemRequest.BadRequest("the FunctionDeployment has no 'service'; set it to the function name");
    }
    SystemRequest.functionName(function.service());
    if (function.image() == null || function.image().isBlank()) {
      throw new SystemRequest.BadRequest("the FunctionDeployment for '" + function.service() + "' has no 'image'; set "
          + "it to the container image to run");
    }
    String ns = request.namespace(function.namespace(), "function " + function.service());
    if (create) {
      provider.deploy(ns, function);
    } else if (!provider.update(ns, function)) {
      throw missing(function.service(), ns);
    }
    return Responses.json(HttpResponseStatus.ACCEPTED, Map.of("message", (create ? "deployed " : "updated ")
        + function.service() + "." + ns));
  }

  private FullHttpResponse delete(SystemRequest request) {
    JsonNode json = request.body(JsonNode.class, "{\"functionName\":\"<name>\"}");
    String name = json.path("functionName").asText("");
    if (name.isBlank()) {
      throw new SystemRequest.BadRequest("the delete request has no 'functionName'; send {\"functionName\":\"<name>\"}");
    }
    SystemRequest.functionName(name);
    String ns = request.namespace(json.path("namespace").asText(""), "function " + name);
    if (!provider.delete(ns, name)) {
      throw missing(name, ns);
    }
    return Responses.json(HttpResponseStatus.ACCEPTED, Map.of("message", "deleted " + name + "." + ns));
  }

  private FullHttpResponse scale(SystemRequest request) {
    JsonNode json = request.body(JsonNode.class, "{\"serviceName\":\"<name>\",\"replicas\":2}");
    JsonNode replicas = json.path("replicas");
    if (!replicas.isIntegralNumber() || !replicas.canConvertToInt() || replicas.asInt() < 0) {
      throw new SystemRequest.BadRequest("'replicas' must be a non-negative integer, got " + replicas);
    }
    String ns = request.namespace(json.path("namespace").asText(""), "function " + request.name());
    if (!provider.scale(ns, request.name(), replicas.asInt())) {
      throw missing(request.name(), ns);
    }
    return Responses.json(HttpResponseStatus.ACCEPTED, Map.of("message", "scaled " + request.name() + "." + ns
        + " to " + replicas.asInt()));
  }

  private static SystemRequest.NotFound missing(String name, String namespace) {
    return new SystemRequest.NotFound(SystemRequest.missing("function " + name, namespace));
  }
}
