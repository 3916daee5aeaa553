package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.AutoscalerRef;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A ConfigMap edit is a revision like a template change, and an HPA scales the function without a fight. The bare
 * apiserver runs no HPA controller: the test scales through the scale subresource as the HPA would (the real node's
 * controller-manager should take this over).
 */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class ConfigAndAutoscalerIT {

  @Test
  void configMapEditIsAnalysedAndThePrimaryKeepsItsCopyUntilPromotion(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      client.resource(config(ns.name(), "hello")).serverSideApply();
      client.resource(new ConfigMapBuilder().withNewMetadata().withName("unrelated").withNamespace(ns.name())
          .endMetadata().addToData("x", "1").build()).serverSideApply();
      s.echo.configMap = "echo-config";
      s.canaryServes(20, 0);
      s.canaryFails();
      s.bootstrap(spec -> spec.analysis.threshold = 1000);
      Rollout initialized = s.rollout();
      assertThat(initialized.getStatus().trackedConfigs).singleElement().satisfies(c -> {
        assertThat(c.kind).isEqualTo("ConfigMap");
        assertThat(c.name).isEqualTo("echo-config");
        assertThat(c.checksum).isNotBlank();
      });
      String before = initialized.getStatus().trackedConfigs.get(0).checksum;
      String helloCopy = "echo-config-primary-" + before.substring(0, 10);
      assertThat(s.primaryEnvFrom()).as("the primary runs on its own copy, named by content").isEqualTo(helloCopy);
      assertThat(data(client, ns.name(), helloCopy)).containsEntry("GREETING", "hello");
      assertThat(client.configMaps().inNamespace(ns.name()).withName(helloCopy).get().getImmutable()).isTrue();

      client.resource(config(ns.name(), "bonjour")).serverSideApply();
      Rollout held = s.awaitHeldAt(10, Duration.ofSeconds(90));
      String after = held.getStatus().trackedConfigs.get(0).checksum;
      assertThat(after).isNotEqualTo(before);
      assertThat(s.eventReasons()).contains("NewRevision");
      assertThat(s.primaryEnvFrom()).as("the primary keeps its copy during the analysis").isEqualTo(helloCopy);
      assertThat(data(client, ns.name(), helloCopy)).containsEntry("GREETING", "hello");

      s.canaryServes(20, 0);
      s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(90));
      String bonjourCopy = "echo-config-primary-" + after.substring(0, 10);
      assertThat(s.primaryEnvFrom()).isEqualTo(bonjourCopy);
      assertThat(data(client, ns.name(), bonjourCopy)).containsEntry("GREETING", "bonjour");
      Scenario.await("the copy no revision of the primary uses any more deleted", Duration.ofSeconds(30),
          () -> client.configMaps().inNamespace(ns.name()).withName(helloCopy).get() == null);
      assertThat(client.configMaps().inNamespace(ns.name()).list().getItems()).extracting(c -> c.getMetadata().getName())
          .as("configs the target does not reference are left alone, and not copied")
          .contains("unrelated").noneMatch(n -> n.startsWith("unrelated-primary"));
    }
  }

  @Test
  void autoscaledFunctionIsNeverScaledAgainstItsHpa(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      client.resource(hpa(ns.name())).create();
      List<String> replicas = new CopyOnWriteArrayList<>();
      try (Watch watch = client.apps().deployments().inNamespace(ns.name()).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, Deployment d) {
          replicas.add(d.getMetadata().getName() + "=" + d.getSpec().getReplicas());
        }

        @Override
        public void onClose(WatcherException cause) {}
      })) {
        s.canaryServes(20, 0);
        s.canaryFails();
        s.bootstrap(spec -> {
          spec.autoscalerRef = new AutoscalerRef("echo");
          spec.analysis.threshold = 1000;
        });
        HorizontalPodAutoscaler copy = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns.name())
            .withName("echo-primary").get();
        assertThat(copy.getSpec().getScaleTargetRef().getName()).isEqualTo("echo-primary");
        assertThat(copy.getSpec().getMaxReplicas()).isEqualTo(5);

        client.apps().deployments().inNamespace(ns.name()).withName("echo-primary").scale(3);   // the primary's HPA
        s.setVersion("v2");
        s.awaitHeldAt(10, Duration.ofSeconds(90));
        assertThat(s.targetReplicas()).as("the canary starts from the primary's current replicas").isEqualTo(3);
        client.apps().deployments().inNamespace(ns.name()).withName("echo").scale(4);            // the target's HPA
        s.canaryServes(20, 0);
        s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(90));
        Scenario.await("the canary scaled to 0", Duration.ofSeconds(30), () -> s.targetReplicas() == 0);
      }
      assertThat(distinct(replicas, "echo-primary")).as("the primary: created at 1, then only its HPA: %s", replicas)
          .containsExactly(1, 3);
      assertThat(distinct(replicas, "echo")).as("the target: its HPA's 4 is never overridden: %s", replicas)
          .containsExactly(1, 0, 3, 4, 0);
      assertThat(s.deployment("echo-primary").getSpec().getReplicas()).isEqualTo(3);
    }
  }

  private static List<Integer> distinct(List<String> seen, String name) {
    List<Integer> out = new java.util.ArrayList<>();
    for (String entry : seen) {
      if (entry.startsWith(name + "=")) {
        String value = entry.substring(name.length() + 1);
        int n = "null".equals(value) ? 1 : Integer.parseInt(value);
        if (out.isEmpty() || out.get(out.size() - 1) != n) {
          out.add(n);
        }
      }
    }
    return out;
  }

  private static ConfigMap config(String ns, String greeting) {
    return new ConfigMapBuilder().withNewMetadata().withName("echo-config").withNamespace(ns).endMetadata()
        .addToData("GREETING", greeting).build();
  }

  private static Map<String, String> data(KubernetesClient client, String ns, String name) {
    ConfigMap cm = client.configMaps().inNamespace(ns).withName(name).get();
    assertThat(cm).as("ConfigMap " + name).isNotNull();
    return cm.getData();
  }

  private static HorizontalPodAutoscaler hpa(String ns) {
    return new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("echo").withNamespace(ns).endMetadata()
        .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("echo")
        .endScaleTargetRef().withMinReplicas(1).withMaxReplicas(5)
        .addNewMetric().withType("Resource").withNewResource().withName("cpu").withNewTarget().withType("Utilization")
        .withAverageUtilization(80).endTarget().endResource().endMetric().endSpec().build();
  }
}
