package dev.plonk.gateway.provider.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plonk.gateway.http.BasicAuth;
import dev.plonk.gateway.http.Responses;
import dev.plonk.gateway.provider.FunctionDeployment;
import dev.plonk.gateway.provider.FunctionProvider;
import dev.plonk.gateway.provider.FunctionStatus;
import dev.plonk.gateway.provider.LogSource;
import dev.plonk.gateway.routing.FunctionNamespaces;
import dev.plonk.gateway.routing.FunctionServices;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of the Kubernetes provider: objects written, statuses read, the routing and namespace rules. */
class KubernetesObjectsTest {
  private static FunctionDeployment deployment(List<String> constraints, List<String> secrets, boolean readOnly) {
    return new FunctionDeployment("echo", "img:1", "ns", "cat", Map.of("B", "2", "A", "1"), constraints, secrets,
        Map.of("team", "a"), Map.of("note", "x"), new FunctionDeployment.Resources("128Mi", null),
        new FunctionDeployment.Resources(null, "50m"), readOnly);
  }

  @Test
  void aFunctionDeploymentBecomesALabelledDeploymentAndService() {
    Deployment d = FunctionObjects.deployment("ns", deployment(List.of(), List.of(), true));
    assertThat(d.getMetadata().getLabels()).containsEntry("faas_function", "echo").containsEntry("team", "a");
    assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("faas_function", "echo"));
    var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("img:1");
    assertThat(container.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("fprocess=cat", "A=1", "B=2");
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("128Mi"));
    assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("50m"));
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getVolumeMounts()).singleElement().satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    var service = FunctionObjects.service("ns", deployment(List.of(), List.of(), false));
    assertThat(service.getSpec().getSelector()).isEqualTo(Map.of("faas_function", "echo"));
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
  }

  @Test
  void secretsAreMountedAtVarOpenfaasSecretsAndConstraintsBecomeANodeSelector() {
    Deployment d = FunctionObjects.deployment("ns", deployment(List.of("kubernetes.io/arch=amd64", "disk == ssd"),
        List.of("api-key", "db"), false));
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("kubernetes.io/arch", "amd64", "disk", "ssd"));
    assertThat(pod.getVolumes()).singleElement().satisfies(v -> assertThat(v.getProjected().getSources())
        .extracting(s -> s.getSecret().getName()).containsExactly("api-key", "db"));
    assertThat(pod.getContainers().get(0).getVolumeMounts()).singleElement().satisfies(m -> {
      assertThat(m.getMountPath()).isEqualTo("/var/openfaas/secrets");
      assertThat(m.getReadOnly()).isTrue();
    });
    assertThatThrownBy(() -> FunctionObjects.deployment("ns", deployment(List.of("node.role"), List.of(), false)))
        .isInstanceOf(FunctionProvider.InvalidRequestException.class).hasMessageContaining("key=value");
    assertThatThrownBy(() -> FunctionObjects.deployment("ns", new FunctionDeployment("echo", "i", null, null, null,
        null, null, null, null, new FunctionDeployment.Resources("lots", null), null, false)))
        .isInstanceOf(FunctionProvider.InvalidRequestException.class).hasMessageContaining("quantity");
  }

  @Test
  void theStatusReadsBackWhatWasDeployedWithoutKubectlAnnotations() throws Exception {
    Deployment d = FunctionObjects.deployment("ns", deployment(List.of("disk=ssd"), List.of("api-key"), true));
    d.getMetadata().setCreationTimestamp("2026-11-25T04:00:00Z");
    d.getMetadata().getAnnotations().put("kubectl.kubernetes.io/last-applied-configuration", "{}");
    d.getSpec().getTemplate().getMetadata().getAnnotations().put("kubectl.kubernetes.io/restartedAt", "now");
    d.setStatus(new DeploymentStatusBuilder().withAvailableReplicas(1).build());
    FunctionStatus s = FunctionStatusReader.status(d, null);
    assertThat(s.envProcess()).isEqualTo("cat");
    assertThat(s.envVars()).isEqualTo(Map.of("A", "1", "B", "2"));
    assertThat(s.secrets()).containsExactly("api-key");
    assertThat(s.constraints()).containsExactly("disk=ssd");
    assertThat(s.annotations()).isEqualTo(Map.of("note", "x"));
    assertThat(s.limits()).isEqualTo(new FunctionDeployment.Resources("128Mi", null));
    assertThat(s.requests()).isEqualTo(new FunctionDeployment.Resources(null, "50m"));
    assertThat(s.readOnlyRootFilesystem()).isTrue();
    assertThat(s.replicas()).isEqualTo(1);
    assertThat(s.availableReplicas()).isEqualTo(1);
    String json = Responses.JSON.writeValueAsString(s);
    assertThat(json).contains("\"limits\":{\"memory\":\"128Mi\"}", "\"createdAt\":\"2026-11-25T04:00:00Z\"")
        .doesNotContain("usage", "invocationCount", "\"empty\"", "last-applied");
  }

  @Test
  void underARolloutThePrimaryAndTheCanaryServeTheFunction() {
    Deployment target = FunctionObjects.deployment("ns", deployment(List.of(), List.of(), false));
    target.getSpec().setReplicas(0);
    target.setStatus(new DeploymentStatusBuilder().withAvailableReplicas(1).build()); // still draining
    Deployment primary = new DeploymentBuilder().withNewMetadata().withName("echo-primary").endMetadata()
        .withNewSpec().withReplicas(2).endSpec().withNewStatus().withAvailableReplicas(2).endStatus().build();
    FunctionStatus promoted = FunctionStatusReader.status(target, primary);
    assertThat(promoted.replicas()).isEqualTo(2);
    assertThat(promoted.availableReplicas()).isEqualTo(2);
    target.getSpec().setReplicas(1);
    target.setStatus(new DeploymentStatusBuilder().withAvailableReplicas(1).build());
    FunctionStatus analysing = FunctionStatusReader.status(target, primary);
    assertThat(analysing.replicas()).isEqualTo(3);
    assertThat(analysing.availableReplicas()).isEqualTo(3);
  }

  @Test
  void onlyFunctionServicesAreRoutable() {
    assertThat(FunctionServices.routable(new ServiceBuilder().withNewMetadata().withName("kubernetes")
        .addToLabels("faas_function", "kubernetes").endMetadata().build())).isFalse();
    assertThat(FunctionServices.routable(new ServiceBuilder().withNewMetadata().withName("db").endMetadata()
        .withNewSpec().addToSelector("app", "db").endSpec().build())).isFalse();
    assertThat(FunctionServices.routable(new ServiceBuilder().withNewMetadata().withName("echo").endMetadata()
        .withNewSpec().addToSelector("faas_function", "echo").endSpec().build())).isTrue();
    assertThat(FunctionServices.routable(new ServiceBuilder().withNewMetadata().withName("echo-canary")
        .addToLabels("app.kubernetes.io/managed-by", "plonk-rollout-controller").endMetadata()
        .withNewSpec().addToSelector("app", "echo").endSpec().build())).isTrue();
  }

  @Test
  void namespacesOptInWithOpenfaasOneAsAnnotationOrLabel() {
    assertThat(FunctionNamespaces.optsIn(new ObjectMetaBuilder().addToAnnotations("openfaas", "1").build())).isTrue();
    assertThat(FunctionNamespaces.optsIn(new ObjectMetaBuilder().addToLabels("openfaas", "true").build())).isTrue();
    assertThat(FunctionNamespaces.optsIn(new ObjectMetaBuilder().addToLabels("openfaas", "0").build())).isFalse();
    assertThat(FunctionNamespaces.optsIn(new ObjectMetaBuilder().build())).isFalse();
    FunctionNamespaces namespaces = new FunctionNamespaces("openfaas-fn");
    assertThat(namespaces.serves("openfaas-fn")).isTrue();
    assertThat(namespaces.serves("kube-system")).isFalse();
    assertThat(namespaces.served()).containsExactly("openfaas-fn");
  }

  @Test
  void logLinesKeepTheirTimestampAndText() {
    var request = new LogSource.LogRequest("echo", "ns", null, null, -1, false);
    assertThat(LogLines.parse(request, "echo-1", "2026-11-25T04:00:00.123456789Z hello world"))
        .isEqualTo(new LogSource.LogMessage("echo", "ns", "echo-1", "2026-11-25T04:00:00.123456789Z", "hello world"));
    assertThat(LogLines.parse(request, "echo-1", "no stamp").text()).isEqualTo("no stamp");
  }

  @Test
  void secretsAreLabelledAsOpenfaasKeepsThem() {
    var secret = KubernetesSecretStore.secret("ns", new dev.plonk.gateway.provider.SecretStore.SecretValue("api-key",
        "v".getBytes()));
    assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "openfaas");
    assertThat(secret.getData()).containsEntry("api-key", Base64.getEncoder().encodeToString("v".getBytes()));
  }

  @Test
  void basicAuthAcceptsOnlyTheRightCredentials() {
    BasicAuth auth = new BasicAuth("admin", "pw");
    assertThat(auth.accepts("Basic " + Base64.getEncoder().encodeToString("admin:pw".getBytes()))).isTrue();
    assertThat(auth.accepts("basic " + Base64.getEncoder().encodeToString("admin:pw".getBytes()))).isTrue();
    assertThat(auth.accepts("Basic " + Base64.getEncoder().encodeToString("admin:px".getBytes()))).isFalse();
    assertThat(auth.accepts("Basic !!!")).isFalse();
    assertThat(auth.accepts("Bearer x")).isFalse();
    assertThat(auth.accepts(null)).isFalse();
  }
}
