package dev.plonk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plonk.devstack.DevStack;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Net;
import dev.plonk.devstack.PlonkComponents;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * What an OpenFaaS user sees of a function under a real Rollout, through the gateway's authenticated /system API
 * ({@code faas-cli describe} reads exactly this): Ready with the primary's replicas after bootstrap, the primary plus
 * the canary while a new revision is analysed, the primary again once the rollout ends; never a separate
 * {@code echo-primary}. The analysis interval is long (20 s) so each state holds still while it is read.
 */
@DevStackTest(processRuntime = true, prometheus = true, nats = true, upstreamCrds = true)
class FunctionStatusE2EIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceDefinitionContext ROLLOUTS = new ResourceDefinitionContext.Builder()
      .withGroup("plonk.dev").withVersion("v1alpha1").withKind("Rollout").withPlural("rollouts").withNamespaced(true).build();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aFunctionUnderARolloutIsReadyWithTheReplicasThatServeIt(DevStack stack, Kubernetes kubernetes,
      KubernetesClient client, TestNamespace ns) throws Exception {
    String n = ns.name();
    try (PlonkComponents plonk = new PlonkComponents(stack, PlonkComponents.Launch.CLASS_PATH)) {
      String gateway = plonk.gateway(n);
      String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + Files.readString(
          plonk.gatewaySecretDir().resolve("basic-auth-password")).strip()).getBytes(StandardCharsets.UTF_8));
      client.apps().deployments().inNamespace(n).resource(CanaryE2EIT.echo(n, "v1", "0")).create();
      plonk.controller();
      Path manifest = Files.createTempFile("rollout", ".yaml");
      Files.writeString(manifest, CanaryE2EIT.rollout(n).replace("interval: 2s", "interval: 20s")
          .replace("stepWeight: 20", "stepWeight: 50").replace("maxWeight: 60", "maxWeight: 50"));
      new Kubectl(kubernetes).run("apply", "-f", manifest.toString()).ok();
      await("Rollout phase Initialized", () -> "Initialized".equals(phase(client, n)));
      await("the primary available and the target scaled to 0", () -> available(client, n, "echo-primary") >= 1
          && replicas(client, n, "echo") == 0);

      JsonNode bootstrapped = status(gateway, auth, n);
      assertThat(bootstrapped.path("replicas").asInt()).as(bootstrapped.toString()).isEqualTo(1);
      assertThat(bootstrapped.path("availableReplicas").asInt()).as("Ready: the primary serves").isEqualTo(1);
      assertThat(list(gateway, auth, n)).extracting(f -> f.get("name").asText()).containsExactly("echo");

      try (Traffic traffic = new Traffic(gateway + "/function/echo." + n + "/")) {
        CanaryE2EIT.release(client, CanaryE2EIT.echo(n, "v2", "0"));
        await("the canary running beside the primary", () -> "Progressing".equals(phase(client, n))
            && available(client, n, "echo") >= 1);
        JsonNode analysing = status(gateway, auth, n);
        assertThat(analysing.path("replicas").asInt()).as(analysing.toString()).isEqualTo(2);
        assertThat(analysing.path("availableReplicas").asInt()).as("primary + canary").isEqualTo(2);

        await("the rollout to end", () -> "Succeeded".equals(phase(client, n)) || "Failed".equals(phase(client, n)));
        await("the canary scaled down", () -> replicas(client, n, "echo") == 0);
        JsonNode after = status(gateway, auth, n);
        assertThat(after.path("replicas").asInt()).as(after.toString()).isEqualTo(1);
        assertThat(after.path("availableReplicas").asInt()).as("Ready: the primary serves").isEqualTo(1);
        assertThat(after.has("annotations") && after.get("annotations").has(
            "kubectl.kubernetes.io/last-applied-configuration")).isFalse();
      }
    }
  }

  private static JsonNode status(String gateway, String auth, String n) throws Exception {
    return get(gateway + "/system/function/echo?namespace=" + n, auth);
  }

  private static JsonNode list(String gateway, String auth, String n) throws Exception {
    return get(gateway + "/system/functions?namespace=" + n, auth);
  }

  private static JsonNode get(String url, String auth) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static String phase(KubernetesClient client, String n) {
    GenericKubernetesResource rollout = client.genericKubernetesResources(ROLLOUTS).inNamespace(n).withName("echo").get();
    Object status = rollout == null ? null : rollout.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> s ? String.valueOf(s.get("phase")) : null;
  }

  private static int available(KubernetesClient client, String n, String name) {
    Deployment d = client.apps().deployments().inNamespace(n).withName(name).get();
    return d == null || d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0
        : d.getStatus().getAvailableReplicas();
  }

  private static int replicas(KubernetesClient client, String n, String name) {
    Deployment d = client.apps().deployments().inNamespace(n).withName(name).get();
    return d == null || d.getSpec().getReplicas() == null ? -1 : d.getSpec().getReplicas();
  }

  private static void await(String what, BooleanSupplier condition) {
    Net.await(what, Duration.ofMinutes(3), () -> {
      boolean done = condition.getAsBoolean();
      if (!done) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return done;
    }, null);
  }
}
