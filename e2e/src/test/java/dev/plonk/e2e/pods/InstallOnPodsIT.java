package dev.plonk.e2e.pods;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;
import static dev.plonk.e2e.pods.PlonkInstall.MONITORING;
import static dev.plonk.e2e.pods.PlonkInstall.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plonk.e2e.Rollouts;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kubectl apply -k deploy/overlays/devstack} on a real node: every Plonk pod Ready, each component under its own
 * ServiceAccount, and the controller's rights as the real apiserver grants them to its token: what its job needs, and
 * a 403 for Secrets and for any namespace it does not manage.
 */
@ExtendWith(OnPods.class)
class InstallOnPodsIT {
  private static final Map<String, String> ACCOUNTS = Map.of(
      "plonk-gateway", "plonk-gateway", "plonk-rollout-controller", "plonk-rollout-controller",
      "plonk-queue-worker", "plonk-queue-worker", "nats", "nats", "prometheus", "prometheus");

  @Test
  void everyPlonkPodIsReadyUnderItsOwnServiceAccount(PlonkInstall plonk) {
    KubernetesClient client = plonk.client();
    for (var entry : ACCOUNTS.entrySet()) {
      String namespace = entry.getKey().equals("prometheus") ? MONITORING : SYSTEM;
      List<Pod> pods = client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/name", entry.getKey()).list()
          .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
      assertThat(pods).as(entry.getKey() + " pods\n" + plonk.podReport(namespace)).isNotEmpty().allSatisfy(pod -> {
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(entry.getValue());
        assertThat(pod.getSpec().getNodeName()).as("scheduled on a node").isNotBlank();
        assertThat(pod.getStatus().getPodIP()).as("pod IP").isNotBlank();
        assertThat(pod.getStatus().getConditions()).anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("Ready");
          assertThat(c.getStatus()).isEqualTo("True");
        });
      });
    }
    assertThat(client.pods().inNamespace(SYSTEM).withLabel("app.kubernetes.io/name", "plonk-rollout-controller").list()
        .getItems()).as("two controller replicas (leader election)").hasSize(2);
  }

  @Test
  void controllerTokenDoesItsJobAndIsRefusedSecretsAndUnmanagedNamespaces(PlonkInstall plonk) {
    KubernetesClient admin = plonk.client();
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("e2e-unmanaged").endMetadata().build())
        .serverSideApply();
    try (KubernetesClient controller = as(admin, "plonk-rollout-controller")) {
      // its job, in the namespace it manages
      assertThat(controller.genericKubernetesResources(Rollouts.ROLLOUTS).inNamespace(FUNCTIONS).list().getItems()).isNotNull();
      assertThat(controller.apps().deployments().inNamespace(FUNCTIONS).list().getItems()).isNotNull();
      // its Lease, held by one of its pods (taken once a replica wins the election, which may follow Ready)
      Rollouts.await("the controller's Lease", java.time.Duration.ofSeconds(90),
          () -> controller.leases().inNamespace(SYSTEM).withName("plonk-rollout-controller").get() != null);
      // refused: Secrets outside the function namespace (inside it, config tracking reads the Secrets a function's pod
      // template references and writes their -primary copies, as Flagger does), other namespaces, namespaces themselves
      assertForbidden(() -> controller.secrets().inNamespace(SYSTEM).list());
      assertForbidden(() -> controller.secrets().inNamespace("e2e-unmanaged").list());
      assertForbidden(() -> controller.apps().deployments().inNamespace("e2e-unmanaged").list());
      assertForbidden(() -> controller.apps().deployments().inNamespace("e2e-unmanaged").resource(new DeploymentBuilder()
          .withNewMetadata().withName("intruder").withNamespace("e2e-unmanaged").endMetadata()
          .withNewSpec().withNewSelector().addToMatchLabels("app", "x").endSelector().withNewTemplate().withNewMetadata()
          .addToLabels("app", "x").endMetadata().withNewSpec().addNewContainer().withName("x").withImage("plonk.local/echo:dev")
          .endContainer().endSpec().endTemplate().endSpec().build()).create());
      assertForbidden(() -> controller.services().inNamespace("e2e-unmanaged").list());
      assertForbidden(() -> controller.namespaces().withName("e2e-unmanaged").delete());
      assertForbidden(() -> controller.namespaces().list());
    } finally {
      admin.namespaces().withName("e2e-unmanaged").delete();
    }
  }

  /** A client authenticated as a ServiceAccount of plonk-system, with a short-lived token from the TokenRequest API. */
  static KubernetesClient as(KubernetesClient admin, String serviceAccount) {
    String token = admin.serviceAccounts().inNamespace(SYSTEM).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
        .getStatus().getToken();
    Config config = admin.getConfiguration();
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
        .withMasterUrl(config.getMasterUrl()).withCaCertData(config.getCaCertData()).withCaCertFile(config.getCaCertFile())
        .withOauthToken(token).build()).build();
  }

  private static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403));
  }
}
