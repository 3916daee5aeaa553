package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The internal path of generated load, {@code /system/canary/<fn>[.<ns>]/path}, on the real apiserver: with the
 * gateway's credentials a call reaches the canary even at weight 0 and is counted as {@code source="loadgen"} under the
 * function and its canary backend; without them, or with wrong ones, it is a 401 JSON and the canary sees nothing.
 */
@DevStackTest(upstreamCrds = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanaryLoadPathIT {
  private static final String WRONG = "Basic " + Base64.getEncoder().encodeToString("admin:guess".getBytes());
  private Gateway gateway;
  private TestUpstream primary;
  private TestUpstream canary;

  @BeforeAll
  void start(Kubernetes kubernetes, @TempDir Path secrets) throws Exception {
    primary = new TestUpstream("primary");
    canary = new TestUpstream("canary");
    gateway = GatewayMain.start("--port=0", "--kubeconfig=" + kubernetes.kubeconfig(), "--routing=direct",
        "--endpoint-host=127.0.0.1", SystemClient.secretDir(secrets));
  }

  @AfterAll
  void stop() {
    gateway.close();
    primary.close();
    canary.close();
  }

  private HttpResponse<String> call(String method, String path, String authorization, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return Fixtures.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String metrics() {
    try {
      return Fixtures.get(gateway.url() + "/metrics").body();
    } catch (Exception e) {
      throw new IllegalStateException("GET /metrics failed", e);
    }
  }

  @Test
  void authenticatedLoadReachesTheCanaryAtWeightZeroAndIsCountedAsLoadgen(KubernetesClient client, TestNamespace ns)
      throws Exception {
    String n = ns.name();
    Fixtures.service(client, n, "fn", primary.port());
    Fixtures.service(client, n, "fn-primary", primary.port());
    Fixtures.service(client, n, "fn-canary", canary.port());
    Fixtures.trafficSplit(client, n, "fn", 100, 0);
    String primaryUser = "plonk_gateway_backend_requests_total{backend=\"fn-primary\",code=\"200\",function=\"fn\","
        + "namespace=\"" + n + "\",source=\"user\"}";
    // until the gateway has seen the TrafficSplit, a user call goes to the apex Service "fn" and is counted under it
    Fixtures.await(gateway.url() + "/function/fn." + n,
        r -> r.statusCode() == 200 && metrics().contains(primaryUser));
    long primaryCalls = primary.requests();   // the upstream is shared by the class's tests: compare, never count
    String invocations = invocationsLine(metrics(), "fn." + n);

    HttpResponse<String> load = awaitCanary("/system/canary/fn." + n + "/orders?id=7");
    assertThat(load.statusCode()).as(load.body()).isEqualTo(200);
    assertThat(load.body()).isEqualTo("canary POST /orders?id=7\nping");
    assertThat(canary.last().headers().getFirst("Authorization"))
        .as("the gateway's credentials are never forwarded to the function").isNull();
    assertThat(primary.requests()).as("load never goes to the primary").isEqualTo(primaryCalls);

    String metrics = metrics();
    assertThat(metrics).contains("plonk_gateway_backend_requests_total{backend=\"fn-canary\",code=\"200\",function=\"fn\","
        + "namespace=\"" + n + "\",source=\"loadgen\"}");
    assertThat(metrics).contains(primaryUser);
    assertThat(invocationsLine(metrics, "fn." + n)).as("generated load is not an OpenFaaS invocation")
        .isEqualTo(invocations);
  }

  /** The {@code gateway_function_invocation_total} line of a function's 200s, with its value. */
  private static String invocationsLine(String metrics, String functionName) {
    String prefix = "gateway_function_invocation_total{code=\"200\",function_name=\"" + functionName + "\"} ";
    return metrics.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " in " + metrics));
  }

  @Test
  void withoutOrWithWrongCredentialsNothingReachesTheCanary(KubernetesClient client, TestNamespace ns) throws Exception {
    String n = ns.name();
    Fixtures.service(client, n, "guarded-canary", canary.port());
    awaitCanary("/system/canary/guarded." + n + "/");
    long before = canary.requests();
    for (String authorization : new String[] {null, WRONG, "Bearer abc", "Basic !!"}) {
      HttpResponse<String> refused = call("POST", "/system/canary/guarded." + n + "/", authorization, "x");
      assertThat(refused.statusCode()).as("Authorization: %s", authorization).isEqualTo(401);
      assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
      assertThat(refused.body()).contains("\"message\"");
    }
    HttpResponse<String> userPath = call("GET", "/function/guarded-canary." + n + "/", null, null);
    assertThat(userPath.statusCode()).as("a user may call the canary Service by name; that is counted as user "
        + "traffic under another function label, which the analysis does not read").isEqualTo(200);
    assertThat(canary.requests()).as("refused calls never reached the canary").isEqualTo(before + 1);
  }

  @Test
  void aFunctionWithoutCanaryIsA404(KubernetesClient client, TestNamespace ns) throws Exception {
    Fixtures.service(client, ns.name(), "plain", primary.port());
    Fixtures.await(gateway.url() + "/function/plain." + ns.name(), r -> r.statusCode() == 200);
    HttpResponse<String> none = call("GET", "/system/canary/plain." + ns.name() + "/", SystemClient.AUTH, null);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).contains("has no canary backend (Service plain-canary)");
    assertThat(Fixtures.get(gateway.url() + "/metrics").body()).as("a refused load call makes no series")
        .doesNotContain("function=\"plain\",namespace=\"" + ns.name() + "\",source=\"loadgen\"");
  }

  @Test
  void withoutAuthTheLoadPathIsClosed(Kubernetes kubernetes) throws Exception {
    try (Gateway open = GatewayMain.start("--port=0", "--basic-auth=false", "--kubeconfig=" + kubernetes.kubeconfig())) {
      HttpResponse<String> closed = Fixtures.HTTP.send(HttpRequest.newBuilder(URI.create(open.url()
          + "/system/canary/fn.default/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(closed.statusCode()).isEqualTo(403);
      assertThat(closed.body()).contains("basic auth is off");
    }
  }

  /** Bounded (30 s): until the gateway's informers know the canary Service and its endpoint. */
  private HttpResponse<String> awaitCanary(String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> response = call("POST", path, SystemClient.AUTH, "ping");
    while (response.statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      response = call("POST", path, SystemClient.AUTH, "ping");
    }
    return response;
  }
}
