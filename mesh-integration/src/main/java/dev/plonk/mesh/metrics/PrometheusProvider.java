package dev.plonk.mesh.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Instant queries against the Prometheus HTTP API ({@code GET /api/v1/query}). */
public final class PrometheusProvider implements MetricsProvider {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String baseUrl;
  private final HttpClient http;
  private final Duration timeout;
  private final String authorization;

  public PrometheusProvider(String baseUrl, HttpClient http, Duration timeout) {
    this(baseUrl, http, timeout, null);
  }

  /** @param authorization the {@code Authorization} header sent with every query (basic or bearer); null: none */
  public PrometheusProvider(String baseUrl, HttpClient http, Duration timeout, String authorization) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = http;
    this.timeout = timeout;
    this.authorization = authorization;
  }

  @Override
  public double query(String promql) throws MetricQueryException {
    HttpResponse<String> response = send(promql);
    return parse(promql, response.statusCode(), response.body());
  }

  @Override
  public List<Sample> vector(String promql) throws MetricQueryException {
    HttpResponse<String> response = send(promql);
    return parseVector(promql, response.statusCode(), response.body());
  }

  private HttpResponse<String> send(String promql) throws MetricQueryException {
    URI uri = URI.create(baseUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> response;
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new MetricQueryException("Prometheus at " + baseUrl + " is unreachable (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ") for query " + promql, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricQueryException("interrupted while querying " + promql, e);
    }
    return response;
  }

  static double parse(String promql, int status, String body) throws MetricQueryException {
    JsonNode data = data(promql, status, body);
    JsonNode result = data.path("result");
    JsonNode value;
    if ("scalar".equals(data.path("resultType").asText())) {
      value = result;
    } else if (result.isArray() && !result.isEmpty()) {
      value = result.get(0).path("value");
    } else {
      throw new MetricQueryException("query " + promql + " returned no data");
    }
    double v;
    try {
      v = Double.parseDouble(value.get(1).asText());
    } catch (RuntimeException e) {
      throw new MetricQueryException("query " + promql + " returned an unreadable value " + value);
    }
    if (Double.isNaN(v)) {
      throw new MetricQueryException("query " + promql + " returned NaN (no requests in the interval?)");
    }
    return v;
  }

  static List<Sample> parseVector(String promql, int status, String body) throws MetricQueryException {
    JsonNode data = data(promql, status, body);
    if (!"vector".equals(data.path("resultType").asText())) {
      throw new MetricQueryException("query " + promql + " returned a " + data.path("resultType").asText()
          + ", expected a vector (sum by (...))");
    }
    List<Sample> out = new ArrayList<>();
    for (JsonNode element : data.path("result")) {
      Map<String, String> labels = new HashMap<>();
      element.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      try {
        out.add(new Sample(labels, Double.parseDouble(element.path("value").get(1).asText())));
      } catch (RuntimeException e) {
        throw new MetricQueryException("query " + promql + " returned an unreadable sample " + element);
      }
    }
    return out;
  }

  private static JsonNode data(String promql, int status, String body) throws MetricQueryException {
    String hint = status == 401 || status == 403 ? ": check the credentials (the MetricTemplate's secretRef)" : "";
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      throw new MetricQueryException("Prometheus answered HTTP " + status + " with a body that is not JSON for query "
          + promql + hint);
    }
    if (!"success".equals(root.path("status").asText())) {
      throw new MetricQueryException("query " + promql + " failed: HTTP " + status + " " + root.path("errorType").asText()
          + ": " + root.path("error").asText() + hint);
    }
    return root.path("data");
  }
}
