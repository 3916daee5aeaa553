package dev.plonk.mesh.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusProviderTest {
  @Test
  void vectorValue() throws Exception {
    assertThat(PrometheusProvider.parse("q", 200, """
        {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1.0,"99.5"]}]}}"""))
        .isEqualTo(99.5);
  }

  @Test
  void scalarValue() throws Exception {
    assertThat(PrometheusProvider.parse("q", 200, """
        {"status":"success","data":{"resultType":"scalar","result":[1.0,"3"]}}""")).isEqualTo(3.0);
  }

  @Test
  void emptyVectorIsNoData() {
    assertThatThrownBy(() -> PrometheusProvider.parse("up{job=\"x\"}", 200, """
        {"status":"success","data":{"resultType":"vector","result":[]}}"""))
        .isInstanceOf(MetricQueryException.class).hasMessage("query up{job=\"x\"} returned no data");
  }

  @Test
  void nanIsNotANumber() {
    assertThatThrownBy(() -> PrometheusProvider.parse("q", 200, """
        {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1.0,"NaN"]}]}}"""))
        .hasMessageContaining("query q returned NaN");
  }

  @Test
  void promqlErrorNamesTheQuery() {
    assertThatThrownBy(() -> PrometheusProvider.parse("sum(", 400, """
        {"status":"error","errorType":"bad_data","error":"unexpected end of input"}"""))
        .hasMessage("query sum( failed: HTTP 400 bad_data: unexpected end of input");
  }

  @Test
  void vectorSamplesKeepTheirLabels() throws Exception {
    assertThat(PrometheusProvider.parseVector("q", 200, """
        {"status":"success","data":{"resultType":"vector","result":[
         {"metric":{"backend":"echo-canary"},"value":[1.0,"612.4"]},
         {"metric":{"backend":"echo-primary","le":"+Inf"},"value":[1.0,"2410"]}]}}""")).containsExactly(
        new Sample(java.util.Map.of("backend", "echo-canary"), 612.4),
        new Sample(java.util.Map.of("backend", "echo-primary", "le", "+Inf"), 2410));
  }

  @Test
  void emptyVectorIsNoSamplesNotAnError() throws Exception {
    assertThat(PrometheusProvider.parseVector("q", 200, """
        {"status":"success","data":{"resultType":"vector","result":[]}}""")).isEmpty();
  }

  @Test
  void scalarIsNotAVector() {
    assertThatThrownBy(() -> PrometheusProvider.parseVector("1", 200, """
        {"status":"success","data":{"resultType":"scalar","result":[1.0,"3"]}}"""))
        .hasMessage("query 1 returned a scalar, expected a vector (sum by (...))");
  }

  @Test
  void unreachablePrometheusIsAnError() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    var provider = new PrometheusProvider("http://127.0.0.1:" + port, HttpClient.newHttpClient(), Duration.ofSeconds(2));
    assertThatThrownBy(() -> provider.query("up")).isInstanceOf(MetricQueryException.class)
        .hasMessageContaining("is unreachable").hasMessageContaining("for query up");
  }

  @Test
  void refusedCredentialsSayWhatToCheck() {
    assertThatThrownBy(() -> PrometheusProvider.parse("up", 401, "401 Unauthorized\n"))
        .hasMessage("Prometheus answered HTTP 401 with a body that is not JSON for query up: check the credentials "
            + "(the MetricTemplate's secretRef)");
    assertThatThrownBy(() -> PrometheusProvider.parse("up", 403, "{\"status\":\"error\",\"errorType\":\"forbidden\","
        + "\"error\":\"no\"}")).hasMessage("query up failed: HTTP 403 forbidden: no: check the credentials (the "
        + "MetricTemplate's secretRef)");
  }
}
