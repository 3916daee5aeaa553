package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Direct mode on the real apiserver: the gateway applies TrafficSplit / HTTPRoute weights over EndpointSlices. */
@DevStackTest(upstreamCrds = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectRoutingIT {
  private Gateway gateway;
  private TestUpstream primary;
  private TestUpstream canary;

  @BeforeAll
  void start(Kubernetes kubernetes) throws Exception {
    primary = new TestUpstream("primary");
    canary = new TestUpstream("canary");
    gateway = GatewayMain.start("--port=0", "--basic-auth=false", "--kubeconfig=" + kubernetes.kubeconfig(), "--routing=direct",
        "--endpoint-host=127.0.0.1");
  }

  @AfterAll
  void stop() {
    gateway.close();
    primary.close();
    canary.close();
  }

  private void deployPair(KubernetesClient client, String ns, String apex) {
    Fixtures.service(client, ns, apex, primary.port());
    Fixtures.service(client, ns, apex + "-primary", primary.port());
    Fixtures.service(client, ns, apex + "-canary", canary.port());
  }

  private Map<String, Integer> count(String url, int requests) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = Fixtures.get(url);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      counts.merge(response.headers().firstValue("X-Upstream").orElse("?"), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void aFunctionWithoutSplitGoesToItsOwnServiceWithPathAndQuery(KubernetesClient client, TestNamespace ns)
      throws Exception {
    Fixtures.service(client, ns.name(), "plain", primary.port());
    String url = gateway.url() + "/function/plain." + ns.name() + "/some/path?x=1&y=two";
    HttpResponse<String> response = Fixtures.await(url, r -> r.statusCode() == 200);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("primary GET /some/path?x=1&y=two");
    assertThat(response.headers().firstValue("X-Call-Id")).isPresent();
    assertThat(response.headers().firstValue("X-Start-Time")).isPresent();
    assertThat(response.headers().firstValue("X-Duration-Seconds")).isPresent();
    TestUpstream.Seen seen = primary.last();
    assertThat(seen.headers().getFirst("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(seen.headers().getFirst("X-Forwarded-Host")).isEqualTo(gateway.url().substring("http://".length()));
    assertThat(seen.headers().getFirst("X-Call-Id")).isEqualTo(response.headers().firstValue("X-Call-Id").get());
  }

  @Test
  void trafficSplitOf80To20IsAppliedAndWeightChangesApplyLive(KubernetesClient client, TestNamespace ns)
      throws Exception {
    deployPair(client, ns.name(), "fn");
    Fixtures.trafficSplit(client, ns.name(), "fn", 80, 20);
    String url = gateway.url() + "/function/fn." + ns.name();
    Fixtures.await(url, r -> "canary".equals(r.headers().firstValue("X-Upstream").orElse("")));

    Map<String, Integer> counts = count(url, 2000);
    assertThat(counts.getOrDefault("canary", 0)).isBetween(300, 500);
    assertThat(counts.getOrDefault("primary", 0)).isBetween(1500, 1700);

    Fixtures.trafficSplit(client, ns.name(), "fn", 0, 100);
    Fixtures.await(url, r -> primaryGone(url));
    assertThat(count(url, 100)).containsExactly(Map.entry("canary", 100));

    String metrics = Fixtures.get(gateway.url() + "/metrics").body();
    assertThat(metrics).contains("plonk_gateway_backend_requests_total{backend=\"fn-canary\",code=\"200\",function=\"fn\","
        + "namespace=\"" + ns.name() + "\",source=\"user\"}");
    assertThat(metrics).contains("gateway_function_invocation_total{code=\"200\",function_name=\"fn." + ns.name() + "\"}");
  }

  /** True once 20 calls in a row all went to the canary. */
  private boolean primaryGone(String url) {
    try {
      return count(url, 20).getOrDefault("primary", 0) == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void httpRouteWeightsAreAppliedTheSameWay(KubernetesClient client, TestNamespace ns) throws Exception {
    deployPair(client, ns.name(), "route");
    Fixtures.httpRoute(client, ns.name(), "route", 50, 50);
    String url = gateway.url() + "/function/route." + ns.name();
    Fixtures.await(url, r -> "canary".equals(r.headers().firstValue("X-Upstream").orElse("")));
    Map<String, Integer> counts = count(url, 400);
    assertThat(counts.getOrDefault("canary", 0)).isBetween(180, 220);

    Fixtures.httpRoute(client, ns.name(), "route", 100, 0);
    Fixtures.await(url, r -> count20AllPrimary(url));
    assertThat(count(url, 100)).containsExactly(Map.entry("primary", 100));
  }

  private boolean count20AllPrimary(String url) {
    try {
      return count(url, 20).getOrDefault("canary", 0) == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
