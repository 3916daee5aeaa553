package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The /metrics exposition after real calls, checked by the real promtool. */
@DevStackTest
class MetricsIT {

  @Test
  void expositionPassesPromtoolExceptTheOpenFaasServiceCountName(Kubernetes kubernetes, KubernetesClient client,
      TestNamespace ns) throws Exception {
    try (TestUpstream upstream = new TestUpstream("fn");
        Gateway gateway = GatewayMain.start("--port=0", "--basic-auth=false", "--kubeconfig=" + kubernetes.kubeconfig(),
            "--endpoint-host=127.0.0.1")) {
      Fixtures.service(client, ns.name(), "fn", upstream.port());
      Fixtures.await(gateway.url() + "/function/fn." + ns.name(), r -> r.statusCode() == 200);
      Fixtures.get(gateway.url() + "/function/ghost." + ns.name());
      HttpResponse<String> metrics = Fixtures.get(gateway.url() + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
      assertThat(metrics.body())
          .doesNotContain("ghost") // a name nobody deployed makes no series: clients cannot grow the metrics at will
          .contains("gateway_service_count{function_name=\"fn." + ns.name() + "\"} 1.0")
          .contains("plonk_gateway_backend_requests_total{backend=\"fn\",code=\"200\",function=\"fn\",namespace=\""
              + ns.name() + "\",source=\"user\"}");

      Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
      promtool.getOutputStream().write(metrics.body().getBytes(StandardCharsets.UTF_8));
      promtool.getOutputStream().close();
      String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // promtool's only finding is the name OpenFaaS chose (kept for compatibility with its dashboards and alerts)
      assertThat(output.lines().toList()).isEqualTo(List.of(
          "gateway_service_count non-histogram and non-summary metrics should not have \"_count\" suffix"));
    }
  }
}
