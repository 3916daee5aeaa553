package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@DevStackTest
class KubernetesIT {
  private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
      .withGroup("test.plonk.dev").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true)
      .build();

  @BeforeAll
  static void installCrd(DevStack stack) throws Exception {
    stack.applyYamlFolder(Path.of(KubernetesIT.class.getResource("/widgets-crd.yaml").toURI()).getParent());
  }

  private static GenericKubernetesResource widget(String namespace, String name, int size) {
    return new GenericKubernetesResourceBuilder().withApiVersion("test.plonk.dev/v1").withKind("Widget")
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("size", size))).build();
  }

  @Test
  void serverSideApplyAndStatusSubresource(KubernetesClient client, TestNamespace ns) {
    var widgets = client.genericKubernetesResources(WIDGETS).inNamespace(ns.name());
    GenericKubernetesResource applied = widgets.resource(widget(ns.name(), "w1", 3)).fieldManager("plonk-test")
        .serverSideApply();
    assertThat(applied.getMetadata().getManagedFields()).anySatisfy(f -> {
      assertThat(f.getManager()).isEqualTo("plonk-test");
      assertThat(f.getOperation()).isEqualTo("Apply");
    });

    // a second apply by the same manager changes the field in place
    widgets.resource(widget(ns.name(), "w1", 5)).fieldManager("plonk-test").serverSideApply();
    assertThat(widgets.withName("w1").get().<Integer>get("spec", "size")).isEqualTo(5);

    // status goes through the status subresource only; the main endpoint ignores it
    GenericKubernetesResource current = widgets.withName("w1").get();
    current.setAdditionalProperty("status", Map.of("phase", "Ready"));
    widgets.resource(current).updateStatus();
    GenericKubernetesResource after = widgets.withName("w1").get();
    assertThat(after.<String>get("status", "phase")).isEqualTo("Ready");
    assertThat(after.getMetadata().getGeneration()).isEqualTo(2L);

    GenericKubernetesResource viaMain = widgets.withName("w1").get();
    viaMain.setAdditionalProperty("status", Map.of("phase", "Ignored"));
    widgets.resource(viaMain).update();
    assertThat(widgets.withName("w1").get().<String>get("status", "phase")).isEqualTo("Ready");
  }

  @Test
  void schemaValidationRejectsBadSpec(KubernetesClient client, TestNamespace ns) {
    var widgets = client.genericKubernetesResources(WIDGETS).inNamespace(ns.name());
    assertThatThrownBy(() -> widgets.resource(widget(ns.name(), "bad", 0)).serverSideApply())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.size")
        .hasMessageContaining("should be greater than or equal to 1");
  }

  @Test
  void rbacIsEnforced(Kubernetes kubernetes, KubernetesClient admin, TestNamespace ns) {
    try (KubernetesClient alice = kubernetes.clientFor("alice-" + ns.name())) {
      var asAlice = alice.genericKubernetesResources(WIDGETS).inNamespace(ns.name());
      assertThatThrownBy(asAlice::list)
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
          .hasMessageContaining("alice-" + ns.name());

      admin.rbac().roles().inNamespace(ns.name()).resource(new RoleBuilder().withNewMetadata().withName("widget-reader")
          .endMetadata().addNewRule().withApiGroups("test.plonk.dev").withResources("widgets")
          .withVerbs("get", "list", "watch").endRule().build()).serverSideApply();
      admin.rbac().roleBindings().inNamespace(ns.name()).resource(new RoleBindingBuilder().withNewMetadata()
          .withName("alice-reads-widgets").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "widget-reader")
          .addNewSubject().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName("alice-" + ns.name())
          .endSubject().build()).serverSideApply();

      // RBAC changes reach the authorizer's informer cache within moments
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (true) {
        try {
          assertThat(asAlice.list().getItems()).isEmpty();
          break;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 403 || System.nanoTime() > deadline) {
            throw e;
          }
        }
      }
      // still no write rights
      assertThatThrownBy(() -> asAlice.resource(widget(ns.name(), "w", 1)).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  @Test
  void realKubectlListsTheResource(Kubernetes kubernetes, KubernetesClient client, TestNamespace ns) throws Exception {
    client.genericKubernetesResources(WIDGETS).inNamespace(ns.name()).resource(widget(ns.name(), "listed", 7))
        .serverSideApply();
    Process kubectl = new ProcessBuilder(kubernetes.kubectl().toString(), "--kubeconfig", kubernetes.kubeconfig().toString(),
        "get", "widgets", "-n", ns.name()).redirectErrorStream(true).start();
    String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kubectl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(kubectl.exitValue()).as(out).isZero();
    List<String> lines = out.lines().toList();
    assertThat(lines.get(0)).contains("NAME").contains("SIZE").contains("PHASE");
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("listed").contains("7"));
  }

  @Test
  void versionIsTheRealBuild(KubernetesClient client) {
    assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo(ControlPlaneBinaries.K8S_VERSION);
  }
}
