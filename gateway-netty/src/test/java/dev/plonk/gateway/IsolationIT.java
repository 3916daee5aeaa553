package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing but a function in a function namespace is reachable: not a Service of another namespace, not the
 * {@code kubernetes} Service, not a non-function Service beside functions; listing and deploying elsewhere are refused
 * with the answer a missing function gets; a namespace that opts out stops being served.
 */
@DevStackTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NEXT = new AtomicInteger();
  private Gateway gateway;
  private SystemClient system;
  private TestUpstream upstream;

  @BeforeAll
  void start(Kubernetes kubernetes, @TempDir Path secrets) throws Exception {
    upstream = new TestUpstream("fn");
    gateway = GatewayMain.start("--port=0", "--kubeconfig=" + kubernetes.kubeconfig(), SystemClient.secretDir(secrets),
        "--endpoint-host=127.0.0.1");
    system = new SystemClient(gateway);
  }

  @AfterAll
  void stop() {
    gateway.close();
    upstream.close();
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return system.call(method, path, body);
  }

  /** A namespace with no opt-in, holding a function Service that would answer if it were proxied. */
  private String plainNamespace(KubernetesClient client) {
    String name = "isolation-plain-" + NEXT.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    Fixtures.service(client, name, "billing", upstream.port());
    return name;
  }

  @Test
  void aServiceOutsideFunctionNamespacesIsNeverProxiedListedOrDeployedTo(KubernetesClient client, TestNamespace ns)
      throws Exception {
    system.served(ns.name());
    String plain = plainNamespace(client);
    Fixtures.service(client, ns.name(), "control", upstream.port());
    Fixtures.await(gateway.url() + "/function/control." + ns.name(), r -> r.statusCode() == 200);

    HttpResponse<String> proxied = Fixtures.get(gateway.url() + "/function/billing." + plain);
    HttpResponse<String> missing = Fixtures.get(gateway.url() + "/function/nosuch." + ns.name());
    assertThat(proxied.statusCode()).isEqualTo(404);
    assertThat(proxied.body()).isEqualTo(missing.body().replace("nosuch." + ns.name(), "billing." + plain)
        .replace("'" + ns.name() + "'", "'" + plain + "'"));
    assertThat(call("POST", "/async-function/billing." + plain, "x").statusCode()).isEqualTo(404);

    HttpResponse<String> list = call("GET", "/system/functions?namespace=" + plain, null);
    assertThat(list.statusCode()).isEqualTo(404);
    assertThat(call("GET", "/system/functions?namespace=no-such-namespace", null).body())
        .isEqualTo(list.body().replace(plain, "no-such-namespace"));
    assertThat(call("GET", "/system/function/billing?namespace=" + plain, null).statusCode()).isEqualTo(404);
    HttpResponse<String> deployed = call("POST", "/system/functions",
        "{\"service\":\"intruder\",\"image\":\"x:1\",\"namespace\":\"" + plain + "\"}");
    assertThat(deployed.statusCode()).isEqualTo(404);
    assertThat(client.apps().deployments().inNamespace(plain).withName("intruder").get()).isNull();
    assertThat(call("POST", "/system/scale-function/billing?namespace=" + plain, "{\"replicas\":0}").statusCode())
        .isEqualTo(404);
    assertThat(call("DELETE", "/system/functions", "{\"functionName\":\"billing\",\"namespace\":\"" + plain + "\"}")
        .statusCode()).isEqualTo(404);
    assertThat(call("GET", "/system/secrets?namespace=kube-system", null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/system/logs?name=billing&namespace=" + plain, null).statusCode()).isEqualTo(404);

    JsonNode namespaces = JSON.readTree(call("GET", "/system/namespaces", null).body());
    assertThat(namespaces).extracting(JsonNode::asText).contains(ns.name(), "openfaas-fn")
        .doesNotContain(plain, "kube-system", "kube-public", "kube-node-lease", "default");
  }

  @Test
  void theKubernetesServiceAndNonFunctionServicesAreNeverRoutable(KubernetesClient client, TestNamespace ns)
      throws Exception {
    system.served(ns.name());
    assertThat(Fixtures.get(gateway.url() + "/function/kubernetes.default").statusCode()).isEqualTo(404);
    client.services().inNamespace(ns.name()).resource(new ServiceBuilder().withNewMetadata().withName("kubernetes")
        .addToLabels("faas_function", "kubernetes").endMetadata().withNewSpec().addToSelector("faas_function", "x")
        .addNewPort().withPort(8080).withTargetPort(new IntOrString(upstream.port())).endPort().endSpec().build())
        .serverSideApply();
    Fixtures.endpoints(client, ns.name(), "kubernetes", upstream.port(), true);
    client.services().inNamespace(ns.name()).resource(new ServiceBuilder().withNewMetadata().withName("database")
        .endMetadata().withNewSpec().addToSelector("app", "database").addNewPort().withPort(8080)
        .withTargetPort(new IntOrString(upstream.port())).endPort().endSpec().build()).serverSideApply();
    Fixtures.endpoints(client, ns.name(), "database", upstream.port(), true);
    Fixtures.service(client, ns.name(), "control", upstream.port());
    Fixtures.await(gateway.url() + "/function/control." + ns.name(), r -> r.statusCode() == 200);

    assertThat(Fixtures.get(gateway.url() + "/function/kubernetes." + ns.name()).statusCode()).isEqualTo(404);
    assertThat(Fixtures.get(gateway.url() + "/function/database." + ns.name()).statusCode()).isEqualTo(404);
  }

  @Test
  void aNamespaceThatOptsOutStopsBeingServed(KubernetesClient client) throws Exception {
    String name = "isolation-optout-" + NEXT.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels("openfaas", "1").endMetadata().build()).serverSideApply();
    Fixtures.service(client, name, "fn", upstream.port());
    String url = gateway.url() + "/function/fn." + name;
    assertThat(Fixtures.await(url, r -> r.statusCode() == 200).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/system/namespaces", null).body()).contains("\"" + name + "\"");

    client.namespaces().withName(name).edit(n -> {
      n.getMetadata().getLabels().remove("openfaas");
      return n;
    });
    assertThat(Fixtures.await(url, r -> r.statusCode() == 404).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/system/namespaces", null).body()).doesNotContain("\"" + name + "\"");
    assertThat(call("GET", "/system/functions?namespace=" + name, null).statusCode()).isEqualTo(404);
  }
}
