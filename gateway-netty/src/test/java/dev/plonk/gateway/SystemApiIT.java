package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The OpenFaaS /system API on the real apiserver: deploy, list, update, scale, delete. */
@DevStackTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private Gateway gateway;
  private SystemClient system;

  @BeforeAll
  void start(Kubernetes kubernetes, @TempDir Path secrets) throws Exception {
    gateway = GatewayMain.start("--port=0", "--kubeconfig=" + kubernetes.kubeconfig(), SystemClient.secretDir(secrets));
    system = new SystemClient(gateway);
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return system.call(method, path, body);
  }

  @Test
  void fullRoundTrip(KubernetesClient client, TestNamespace ns) throws Exception {
    system.served(ns.name());
    String n = ns.name();
    HttpResponse<String> deployed = call("POST", "/system/functions", """
        {"service":"echo","image":"ghcr.io/plonk/echo:1","namespace":"%s","envProcess":"cat",
         "envVars":{"MODE":"fast"},"labels":{"team":"a"},"annotations":{"note":"hi"},
         "limits":{"memory":"128Mi"},"requests":{"cpu":"50m"}}""".formatted(n));
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(202);
    Deployment deployment = client.apps().deployments().inNamespace(n).withName("echo").get();
    assertThat(deployment.getMetadata().getLabels()).containsEntry("faas_function", "echo").containsEntry("team", "a");
    assertThat(client.services().inNamespace(n).withName("echo").get().getSpec().getSelector())
        .containsEntry("faas_function", "echo");
    assertThat(call("POST", "/system/functions", "{\"service\":\"echo\",\"image\":\"x\",\"namespace\":\"" + n + "\"}")
        .statusCode()).isEqualTo(409);

    // a kubelet would write this; there is none
    deployment.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(1)
        .withAvailableReplicas(1).withReadyReplicas(1).build());
    client.apps().deployments().inNamespace(n).resource(deployment).updateStatus();

    JsonNode list = JSON.readTree(call("GET", "/system/functions?namespace=" + n, null).body());
    assertThat(list).hasSize(1);
    JsonNode echo = list.get(0);
    assertThat(echo.get("name").asText()).isEqualTo("echo");
    assertThat(echo.get("image").asText()).isEqualTo("ghcr.io/plonk/echo:1");
    assertThat(echo.get("envProcess").asText()).isEqualTo("cat");
    assertThat(echo.get("replicas").asInt()).isEqualTo(1);
    assertThat(echo.get("availableReplicas").asInt()).isEqualTo(1);
    assertThat(echo.has("invocationCount")).as("zero is omitted, as OpenFaaS's omitempty omits it").isFalse();
    assertThat(echo.get("labels").get("team").asText()).isEqualTo("a");
    assertThat(echo.get("annotations").get("note").asText()).isEqualTo("hi");

    HttpResponse<String> updated = call("PUT", "/system/functions",
        "{\"service\":\"echo\",\"image\":\"ghcr.io/plonk/echo:2\",\"namespace\":\"" + n + "\"}");
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(202);
    JsonNode one = JSON.readTree(call("GET", "/system/function/echo?namespace=" + n, null).body());
    assertThat(one.get("image").asText()).isEqualTo("ghcr.io/plonk/echo:2");

    HttpResponse<String> scaled = call("POST", "/system/scale-function/echo?namespace=" + n,
        "{\"serviceName\":\"echo\",\"replicas\":3}");
    assertThat(scaled.statusCode()).as(scaled.body()).isEqualTo(202);
    assertThat(client.apps().deployments().inNamespace(n).withName("echo").get().getSpec().getReplicas()).isEqualTo(3);

    HttpResponse<String> deleted = call("DELETE", "/system/functions",
        JSON.writeValueAsString(Map.of("functionName", "echo", "namespace", n)));
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
    assertThat(client.apps().deployments().inNamespace(n).withName("echo").get()).isNull();
    assertThat(client.services().inNamespace(n).withName("echo").get()).isNull();
    assertThat(call("GET", "/system/function/echo?namespace=" + n, null).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", "/system/functions", "{\"functionName\":\"echo\",\"namespace\":\"" + n + "\"}")
        .statusCode()).isEqualTo(404);
  }

  @Test
  void infoNamespacesAndHealth(TestNamespace ns) throws Exception {
    system.served(ns.name());
    JsonNode info = JSON.readTree(call("GET", "/system/info", null).body());
    assertThat(info.at("/provider/provider").asText()).isEqualTo("plonk");
    assertThat(info.at("/provider/orchestration").asText()).isEqualTo("kubernetes");
    assertThat(call("GET", "/system/namespaces", null).body()).contains("\"" + ns.name() + "\"");
    HttpResponse<String> health = Fixtures.get(gateway.url() + "/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
  }
}
