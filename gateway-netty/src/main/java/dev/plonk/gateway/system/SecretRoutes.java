package dev.plonk.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plonk.gateway.http.Responses;
import dev.plonk.gateway.provider.FunctionProvider;
import dev.plonk.gateway.provider.SecretStore;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code /system/secrets} as faas-provider defines it: GET lists names ({@code [{"name","namespace"}]}, never values),
 * POST creates, PUT updates ({@code {"name","namespace","value"}} or base64 {@code rawValue}), DELETE removes
 * ({@code {"name","namespace"}}); only in function namespaces.
 */
final class SecretRoutes {
  private static final String EXAMPLE = "{\"name\":\"api-key\",\"value\":\"s3cret\"}";

  private final FunctionProvider provider;

  SecretRoutes(FunctionProvider provider) {
    this.provider = provider;
  }

  List<SystemRoute> routes() {
    return List.of(
        new SystemRoute(HttpMethod.GET, "/system/secrets", this::list),
        new SystemRoute(HttpMethod.POST, "/system/secrets", r -> write(r, true)),
        new SystemRoute(HttpMethod.PUT, "/system/secrets", r -> write(r, false)),
        new SystemRoute(HttpMethod.DELETE, "/system/secrets", this::delete));
  }

  private FullHttpResponse list(SystemRequest request) {
    SecretStore store = provider.secrets();
    return Responses.json(HttpResponseStatus.OK, store.list(request.namespace(null, "secrets")));
  }

  private FullHttpResponse write(SystemRequest request, boolean create) {
    SecretStore store = provider.secrets();
    JsonNode json = request.body(JsonNode.class, EXAMPLE);
    String name = name(json);
    byte[] value = value(json);
    String ns = request.namespace(json.path("namespace").asText(""), "secret " + name);
    if (create) {
      store.create(ns, new SecretStore.SecretValue(name, value));
    } else if (!store.update(ns, new SecretStore.SecretValue(name, value))) {
      throw new SystemRequest.NotFound(SystemRequest.missing("secret " + name, ns));
    }
    return Responses.json(create ? HttpResponseStatus.CREATED : HttpResponseStatus.OK,
        Map.of("message", (create ? "created secret " : "updated secret ") + name + " in " + ns));
  }

  private FullHttpResponse delete(SystemRequest request) {
    SecretStore store = provider.secrets();
    JsonNode json = request.body(JsonNode.class, "{\"name\":\"api-key\"}");
    String name = name(json);
    String ns = request.namespace(json.path("namespace").asText(""), "secret " + name);
    if (!store.delete(ns, name)) {
      throw new SystemRequest.NotFound(SystemRequest.missing("secret " + name, ns));
    }
    return Responses.json(HttpResponseStatus.OK, Map.of("message", "deleted secret " + name + " in " + ns));
  }

  private static String name(JsonNode json) {
    String name = json.path("name").asText("");
    if (!name.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
      throw new SystemRequest.BadRequest("secret name '" + name + "' is not a DNS-1123 subdomain (lower-case letters, "
          + "digits, '-' and '.'); send " + EXAMPLE);
    }
    return name;
  }

  private static byte[] value(JsonNode json) {
    if (json.hasNonNull("rawValue")) {
      try {
        return Base64.getDecoder().decode(json.get("rawValue").asText());
      } catch (IllegalArgumentException e) {
        throw new SystemRequest.BadRequest("'rawValue' is not base64 (" + e.getMessage() + "); send base64 bytes, or "
            + "text in 'value'");
      }
    }
    if (!json.path("value").isTextual()) {
      throw new SystemRequest.BadRequest("the secret has no 'value' (text) or 'rawValue' (base64); send " + EXAMPLE);
    }
    return json.get("value").asText().getBytes(StandardCharsets.UTF_8);
  }
}
