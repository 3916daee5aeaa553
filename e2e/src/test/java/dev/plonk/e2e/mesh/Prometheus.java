package dev.plonk.e2e.mesh;

import static dev.plonk.e2e.pods.PlonkInstall.MONITORING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Plonk's Prometheus pod (deploy/prometheus), queried over its HTTP API from the host at the pod's address. */
record Prometheus(String baseUrl) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  static Prometheus of(Mesh mesh) {
    var pods = mesh.readyPods(MONITORING, "app.kubernetes.io/name", "prometheus");
    if (pods.isEmpty()) {
      throw new AssertionError("no Ready Prometheus pod in " + MONITORING);
    }
    return new Prometheus("http://" + pods.get(0).getStatus().getPodIP() + ":9090");
  }

  /** The result vector of an instant query ({@code data.result}). */
  JsonNode query(String promql) {
    String url = baseUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
          .build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new AssertionError("Prometheus refused " + promql + ": " + response.statusCode() + " " + response.body());
      }
      return body.path("data").path("result");
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot query Prometheus at " + baseUrl + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The first sample's value, or NaN when the query returns no series. */
  double value(String promql) {
    JsonNode result = query(promql);
    return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
  }
}
