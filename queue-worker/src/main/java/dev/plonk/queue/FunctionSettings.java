package dev.plonk.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plonk.call.AsyncCall;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry policy of each function: the flags' policy with the function's {@code com.openfaas.retry.*}
 * annotations applied. Annotations are read from the gateway's OpenFaaS API
 * {@code GET /system/function/<name>?namespace=<ns>} and cached for {@code ttl}; when the gateway cannot say
 * (no such API, function unknown, bad annotation), the flags' policy applies and the reason is logged.
 */
public final class FunctionSettings {
  private static final Logger LOG = LoggerFactory.getLogger(FunctionSettings.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Cached(RetryPolicy policy, long expiresAtNanos) {}

  private final HttpClient http;
  private final URI gateway;
  private final RetryPolicy defaults;
  private final Duration ttl;
  private final String authorization;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /** @param ttl how long a lookup is reused; zero turns lookups off */
  /** @param authorization the gateway's /system basic-auth header value, or null */
  public FunctionSettings(HttpClient http, URI gateway, RetryPolicy defaults, Duration ttl, String authorization) {
    this.authorization = authorization;
    this.http = http;
    this.gateway = gateway;
    this.defaults = defaults;
    this.ttl = ttl;
  }

  /** The policy for the call's function: at once from the cache, else after an asynchronous lookup. */
  public CompletableFuture<RetryPolicy> retryPolicy(AsyncCall call) {
    if (ttl.isZero()) {
      return CompletableFuture.completedFuture(defaults);
    }
    long now = System.nanoTime();
    Cached cached = cache.get(call.qualifiedName());
    if (cached != null && cached.expiresAtNanos - now > 0) {
      return CompletableFuture.completedFuture(cached.policy);
    }
    URI uri = URI.create(gateway.toString().replaceAll("/+$", "") + "/system/function/"
        + URLEncoder.encode(call.function(), StandardCharsets.UTF_8) + "?namespace="
        + URLEncoder.encode(call.namespace(), StandardCharsets.UTF_8));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.sendAsync(request.build(),
            HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, error) -> {
          RetryPolicy policy = error != null ? unreachable(call, uri, error) : read(call, uri, response);
          cache.put(call.qualifiedName(), new Cached(policy, now + ttl.toNanos()));
          return policy;
        });
  }

  private RetryPolicy unreachable(AsyncCall call, URI uri, Throwable error) {
    LOG.debug("cannot read annotations of {} from {}: {}", call.qualifiedName(), uri, error.toString());
    return defaults;
  }

  private RetryPolicy read(AsyncCall call, URI uri, HttpResponse<byte[]> response) {
    try {
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        LOG.warn("{} answered {}: the gateway protects /system; give --gateway-secret-dir so function {} gets its "
            + "com.openfaas.retry.* annotations (using the default retry policy)", uri, response.statusCode(),
            call.qualifiedName());
        return defaults;
      }
      if (response.statusCode() != 200) {
        LOG.debug("{} answered {}; function {} uses the default retry policy", uri, response.statusCode(),
            call.qualifiedName());
        return defaults;
      }
      return defaults.withAnnotations(annotations(JSON.readTree(response.body())));
    } catch (IllegalArgumentException e) {
      LOG.warn("function {} has an invalid com.openfaas.retry.* annotation ({}); using the default retry policy. "
          + "Fix the annotation on its Deployment.", call.qualifiedName(), e.getMessage());
      return defaults;
    } catch (java.io.IOException e) {
      LOG.debug("{} did not answer a function document for {}: {}", uri, call.qualifiedName(), e.toString());
      return defaults;
    }
  }

  static Map<String, String> annotations(JsonNode function) {
    Map<String, String> result = new HashMap<>();
    JsonNode annotations = function.path("annotations");
    for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      result.put(entry.getKey(), entry.getValue().asText());
    }
    return result;
  }
}
