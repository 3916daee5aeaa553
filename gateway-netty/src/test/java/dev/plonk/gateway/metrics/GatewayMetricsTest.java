package dev.plonk.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

  @Test
  void exposesOpenFaasAndPerBackendSeries() {
    GatewayMetrics metrics = new GatewayMetrics();
    metrics.started("fn.ns");
    metrics.finished("ns", "fn", "fn-canary", 200, 0.02);
    metrics.finished("ns", "fn", "fn-primary", 500, 0.2);
    metrics.finished("ns", "fn", null, 404, 0.001);
    metrics.serviceCount("fn.ns", 2);
    String text = new String(metrics.scrape(), StandardCharsets.UTF_8);
    assertThat(text)
        .contains("gateway_function_invocation_total{code=\"200\",function_name=\"fn.ns\"} 1")
        .contains("gateway_function_invocation_total{code=\"404\",function_name=\"fn.ns\"} 1")
        .contains("gateway_functions_seconds_bucket{code=\"200\",function_name=\"fn.ns\",le=\"0.025\"} 1")
        .contains("gateway_function_invocation_started{function_name=\"fn.ns\"} 1")
        .contains("gateway_service_count{function_name=\"fn.ns\"} 2")
        .contains("plonk_gateway_backend_requests_total{backend=\"fn-canary\",code=\"200\",function=\"fn\",namespace=\"ns\",source=\"user\"} 1")
        .contains("plonk_gateway_backend_request_duration_seconds_bucket{backend=\"fn-primary\",function=\"fn\",namespace=\"ns\",source=\"user\",le=\"0.25\"} 1")
        .contains("le=\"0.005\"").contains("le=\"10.0\"");
    assertThat(text).doesNotContain("backend=\"null\"");
    assertThat(metrics.invocationCount("fn.ns")).isEqualTo(3);
  }

  @Test
  void generatedLoadIsCountedPerBackendOnlyAndLabelledLoadgen() {
    GatewayMetrics metrics = new GatewayMetrics();
    metrics.finished("ns", "fn", "fn-canary", 200, 0.02, GatewayMetrics.Source.LOAD);
    metrics.finished("ns", "fn", null, 404, 0.001, GatewayMetrics.Source.LOAD);
    String text = new String(metrics.scrape(), StandardCharsets.UTF_8);
    assertThat(text)
        .contains("plonk_gateway_backend_requests_total{backend=\"fn-canary\",code=\"200\",function=\"fn\",namespace=\"ns\",source=\"loadgen\"} 1")
        .contains("plonk_gateway_backend_request_duration_seconds_count{backend=\"fn-canary\",function=\"fn\",namespace=\"ns\",source=\"loadgen\"} 1")
        .doesNotContain("gateway_function_invocation_total{");
    assertThat(metrics.invocationCount("fn.ns")).isZero();
  }
}
