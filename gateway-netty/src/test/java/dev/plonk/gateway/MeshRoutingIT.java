package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Mesh mode: the call carries the apex Service's authority and l5d-dst-override for the Linkerd proxy. */
@DevStackTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshRoutingIT {
  private Gateway gateway;
  private TestUpstream proxy;

  @BeforeAll
  void start(Kubernetes kubernetes) throws Exception {
    proxy = new TestUpstream("linkerd-proxy");
    gateway = GatewayMain.start("--port=0", "--basic-auth=false", "--kubeconfig=" + kubernetes.kubeconfig(), "--routing=mesh",
        "--cluster-domain=cluster.local", "--mesh-proxy=127.0.0.1:" + proxy.port());
  }

  @AfterAll
  void stop() {
    gateway.close();
    proxy.close();
  }

  @Test
  void upstreamReceivesTheApexAuthorityAndDstOverride(KubernetesClient client, TestNamespace ns) throws Exception {
    client.services().inNamespace(ns.name()).resource(new ServiceBuilder().withNewMetadata().withName("meshfn")
        .endMetadata().withNewSpec().addToSelector("faas_function", "meshfn").addNewPort().withPort(8081)
        .withTargetPort(new IntOrString(8080)).endPort().endSpec().build()).serverSideApply();
    String url = gateway.url() + "/function/meshfn." + ns.name() + "/hello?x=1";
    HttpResponse<String> response = Fixtures.await(url, r -> r.statusCode() == 200);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

    String authority = "meshfn." + ns.name() + ".svc.cluster.local:8081";
    TestUpstream.Seen seen = proxy.last();
    assertThat(seen.headers().getFirst("Host")).isEqualTo(authority);
    assertThat(seen.headers().getFirst("l5d-dst-override")).isEqualTo(authority);
    assertThat(seen.uri().toString()).isEqualTo("http://" + authority + "/hello?x=1");
    assertThat(response.headers().firstValue("X-Call-Id")).isPresent();
  }

  @Test
  void generatedLoadGoesStraightToTheCanaryService(Kubernetes kubernetes, KubernetesClient client, TestNamespace ns,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path secrets) throws Exception {
    client.services().inNamespace(ns.name()).resource(new ServiceBuilder().withNewMetadata().withName("meshfn-canary")
        .endMetadata().withNewSpec().addToSelector("faas_function", "meshfn").addNewPort().withPort(8082)
        .withTargetPort(new IntOrString(8080)).endPort().endSpec().build()).serverSideApply();
    try (Gateway authed = GatewayMain.start("--port=0", "--kubeconfig=" + kubernetes.kubeconfig(), "--routing=mesh",
        "--cluster-domain=cluster.local", "--mesh-proxy=127.0.0.1:" + proxy.port(), SystemClient.secretDir(secrets))) {
      String url = authed.url() + "/system/canary/meshfn." + ns.name() + "/load";
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      HttpResponse<String> response;
      do {
        response = Fixtures.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
            .header("Authorization", SystemClient.AUTH).build(), HttpResponse.BodyHandlers.ofString());
      } while (response.statusCode() != 200 && System.nanoTime() < deadline && sleep100());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      String authority = "meshfn-canary." + ns.name() + ".svc.cluster.local:8082";
      TestUpstream.Seen seen = proxy.last();
      assertThat(seen.headers().getFirst("l5d-dst-override")).isEqualTo(authority);
      assertThat(seen.uri().toString()).isEqualTo("http://" + authority + "/load");
      assertThat(seen.headers().getFirst("Authorization")).isNull();
      assertThat(Fixtures.get(authed.url() + "/metrics").body()).contains("plonk_gateway_backend_requests_total{"
          + "backend=\"meshfn-canary\",code=\"200\",function=\"meshfn\",namespace=\"" + ns.name() + "\",source=\"loadgen\"}");
    }
  }

  private static boolean sleep100() throws InterruptedException {
    Thread.sleep(100);
    return true;
  }

  @Test
  void anUnknownFunctionIs404InMeshModeToo(TestNamespace ns) throws Exception {
    HttpResponse<String> response = Fixtures.get(gateway.url() + "/function/ghost." + ns.name());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("function ghost." + ns.name() + " not found");
  }
}
