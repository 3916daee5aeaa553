package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What faas-cli users see on the real apiserver: JSON shapes field by field against OpenFaaS's types, a deploy
 * honoured in full (secrets mounted, constraints applied), the status of a function under a Rollout, and secrets
 * that are written but never read back.
 */
@DevStackTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionStatusIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A FunctionDeployment with every field of faas-provider's type, as faas-cli sends it, plus one it does not know. */
  private static final String FULL = """
      {"service":"full","image":"ghcr.io/plonk/echo:1","namespace":"%s","envProcess":"cat",
       "envVars":{"MODE":"fast"},"constraints":["disk=ssd"],"secrets":["api-key"],
       "labels":{"team":"a"},"annotations":{"note":"hi"},
       "limits":{"memory":"128Mi","cpu":"500m"},"requests":{"memory":"64Mi","cpu":"50m"},
       "readOnlyRootFilesystem":true,"someFieldFromTheFuture":{"x":[1]}}""";
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
  void aFullDeployIsHonouredAndReadBackInOpenFaasShape(KubernetesClient client, TestNamespace ns) throws Exception {
    system.served(ns.name());
    String n = ns.name();
    HttpResponse<String> deployed = call("POST", "/system/functions", FULL.formatted(n));
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(202);
    Deployment d = client.apps().deployments().inNamespace(n).withName("full").get();
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("disk", "ssd"));
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getProjected().getSources())
        .anySatisfy(s -> assertThat(s.getSecret().getName()).isEqualTo("api-key")));
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/openfaas/secrets"));
    assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

    JsonNode sent = JSON.readTree(FULL.formatted(n));
    JsonNode status = JSON.readTree(call("GET", "/system/function/full?namespace=" + n, null).body());
    OpenFaasShapes.check("GET /system/function/full", status, OpenFaasShapes.FUNCTION_STATUS);
    assertThat(status.get("name")).isEqualTo(sent.get("service"));
    for (String field : new String[] {"image", "namespace", "envProcess", "envVars", "constraints", "secrets",
        "limits", "requests", "readOnlyRootFilesystem"}) {
      assertThat(status.get(field)).as(field + " read back as deployed").isEqualTo(sent.get(field));
    }
    assertThat(status.get("labels").get("team").asText()).isEqualTo("a");
    assertThat(status.get("annotations")).isEqualTo(sent.get("annotations"));

    HttpResponse<String> minimal = call("POST", "/system/functions",
        "{\"service\":\"bare\",\"image\":\"i:1\",\"namespace\":\"" + n + "\"}");
    assertThat(minimal.statusCode()).isEqualTo(202);
    JsonNode list = JSON.readTree(call("GET", "/system/functions?namespace=" + n, null).body());
    assertThat(list).hasSize(2);
    list.forEach(f -> OpenFaasShapes.check("GET /system/functions[" + f.get("name") + "]", f,
        OpenFaasShapes.FUNCTION_STATUS));
  }

  @Test
  void aFunctionUnderARolloutReportsWhatServesIt(KubernetesClient client, TestNamespace ns) throws Exception {
    system.served(ns.name());
    String n = ns.name();
    // what the rollout-controller leaves after bootstrap: the target scaled to 0, a primary serving with 2 replicas
    client.apps().deployments().inNamespace(n).resource(target(n, 0)).create();
    Deployment primary = new DeploymentBuilder().withNewMetadata().withName("echo-primary").withNamespace(n)
        .addToLabels("app.kubernetes.io/managed-by", "plonk-rollout-controller")
        .addToLabels("faas_function", "echo-primary").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("faas_function", "echo-primary").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("faas_function", "echo-primary").endMetadata()
        .withNewSpec().addNewContainer().withName("echo").withImage("echo:1").endContainer().endSpec().endTemplate()
        .endSpec().build();
    client.apps().deployments().inNamespace(n).resource(primary).create();
    setAvailable(client, n, "echo-primary", 2);

    JsonNode after = JSON.readTree(call("GET", "/system/function/echo?namespace=" + n, null).body());
    assertThat(after.get("replicas").asInt()).isEqualTo(2);
    assertThat(after.get("availableReplicas").asInt()).as("Ready: the primary serves").isEqualTo(2);
    JsonNode list = JSON.readTree(call("GET", "/system/functions?namespace=" + n, null).body());
    assertThat(list).extracting(f -> f.get("name").asText()).containsExactly("echo");
    assertThat(call("GET", "/system/function/echo-primary?namespace=" + n, null).statusCode()).isEqualTo(404);

    // during analysis the canary (the target) runs one replica beside the primary
    client.apps().deployments().inNamespace(n).withName("echo").scale(1);
    setAvailable(client, n, "echo", 1);
    JsonNode during = JSON.readTree(call("GET", "/system/function/echo?namespace=" + n, null).body());
    assertThat(during.get("replicas").asInt()).isEqualTo(3);
    assertThat(during.get("availableReplicas").asInt()).isEqualTo(3);
    OpenFaasShapes.check("GET /system/function/echo", during, OpenFaasShapes.FUNCTION_STATUS);
    assertThat(during.get("annotations")).as("no kubectl annotation").isNull();
  }

  private static Deployment target(String n, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName("echo").withNamespace(n)
        .addToLabels("faas_function", "echo")
        .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"big\":\"blob\"}").endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("faas_function", "echo").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("faas_function", "echo").endMetadata()
        .withNewSpec().addNewContainer().withName("echo").withImage("echo:1").endContainer().endSpec().endTemplate()
        .endSpec().build();
  }

  /** Writes the status a kubelet and the deployment controller would (the apiserver here runs neither). */
  private static void setAvailable(KubernetesClient client, String n, String name, int available) {
    Deployment d = client.apps().deployments().inNamespace(n).withName(name).get();
    d.setStatus(new DeploymentStatusBuilder().withReplicas(available).withReadyReplicas(available)
        .withAvailableReplicas(available).build());
    client.apps().deployments().inNamespace(n).resource(d).updateStatus();
  }

  @Test
  void secretsAreWrittenListedAndDeletedButNeverReadBack(KubernetesClient client, TestNamespace ns) throws Exception {
    system.served(ns.name());
    String n = ns.name();
    client.secrets().inNamespace(n).resource(new SecretBuilder().withNewMetadata().withName("not-a-function-secret")
        .endMetadata().addToStringData("k", "v").build()).create();
    assertThat(call("POST", "/system/secrets", "{\"name\":\"api-key\",\"value\":\"s3cret\",\"namespace\":\"" + n + "\"}")
        .statusCode()).isEqualTo(201);
    assertThat(call("POST", "/system/secrets", "{\"name\":\"api-key\",\"value\":\"again\",\"namespace\":\"" + n + "\"}")
        .statusCode()).isEqualTo(409);
    assertThat(call("PUT", "/system/secrets", "{\"name\":\"api-key\",\"rawValue\":\"" + Base64.getEncoder()
        .encodeToString("n3w".getBytes()) + "\",\"namespace\":\"" + n + "\"}").statusCode()).isEqualTo(200);
    assertThat(new String(Base64.getDecoder().decode(client.secrets().inNamespace(n).withName("api-key").get()
        .getData().get("api-key")))).isEqualTo("n3w");

    HttpResponse<String> list = call("GET", "/system/secrets?namespace=" + n, null);
    assertThat(JSON.readTree(list.body())).isEqualTo(JSON.readTree("[{\"name\":\"api-key\",\"namespace\":\"" + n + "\"}]"));
    assertThat(list.body()).doesNotContain("n3w", "bjN3");
    assertThat(call("DELETE", "/system/secrets", "{\"name\":\"not-a-function-secret\",\"namespace\":\"" + n + "\"}")
        .statusCode()).as("a Secret the gateway did not make is not its to delete").isEqualTo(404);
    assertThat(call("DELETE", "/system/secrets", "{\"name\":\"api-key\",\"namespace\":\"" + n + "\"}").statusCode())
        .isEqualTo(200);
    assertThat(client.secrets().inNamespace(n).withName("api-key").get()).isNull();
  }

  @Test
  void logsOfAFunctionWithoutPodsAreAnEmptyStream(TestNamespace ns) throws Exception {
    system.served(ns.name());
    String n = ns.name();
    assertThat(call("POST", "/system/functions", "{\"service\":\"quiet\",\"image\":\"i:1\",\"namespace\":\"" + n + "\"}")
        .statusCode()).isEqualTo(202);
    HttpResponse<String> logs = call("GET", "/system/logs?name=quiet&namespace=" + n + "&tail=10", null);
    assertThat(logs.statusCode()).isEqualTo(200);
    assertThat(logs.headers().firstValue("Content-Type")).contains("application/x-ndjson");
    assertThat(logs.body()).isEmpty();
    assertThat(call("GET", "/system/logs?name=ghost&namespace=" + n, null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/system/logs?namespace=" + n, null).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/system/logs?name=quiet&namespace=" + n + "&since=yesterday", null).statusCode())
        .isEqualTo(400);
  }
}
