package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import dev.plonk.mesh.router.RouteTarget;
import dev.plonk.mesh.router.TrafficRouterFactory;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a real release would get past before: a route edited by hand, a primary that never becomes ready after
 * promotion (taken back), and a revision pushed while another one is promoted. Readiness is real: the echo pods run in the process
 * runtime, and a test holds the promoted primary not ready by making its pods fail their readiness probe
 * ({@link EchoTarget#failReadiness}); the runtime then keeps the primary's old ready replica, as a Deployment does.
 */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class PromotionSafetyIT {

  @ParameterizedTest
  @EnumSource(Provider.class)
  void routeEditedByHandIsRestored(Provider provider, KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), provider)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> { });
      new TrafficRouterFactory(client, "kubectl-edit").forProvider(provider)
          .setWeights(new RouteTarget(ns.name(), "echo", 8080, null), Weights.canary(50));
      Scenario.await("the route restored to 100/0", Duration.ofSeconds(30),
          () -> s.weights().equals(java.util.Optional.of(Weights.PRIMARY_ONLY)));
      Scenario.await("a RouteDriftRepaired Event", Duration.ofSeconds(10),
          () -> s.eventReasons().contains("RouteDriftRepaired"));
      assertThat(s.events()).filteredOn(e -> "RouteDriftRepaired".equals(e.getReason())).first()
          .satisfies(e -> assertThat(e.getMessage()).contains("primary/canary weights 50/50, not the 100/0 of phase "
              + "Initialized: restored"));
    }
  }

  @Test
  void suspendStopsReconcilingButKeepsTheRoutes(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> { });
      s.patchSpec("{\"suspend\":true}");
      Scenario.await("the suspension in the status", Duration.ofSeconds(30),
          () -> String.valueOf(s.rollout().getStatus().message).startsWith("suspended (spec.suspend)"));
      new TrafficRouterFactory(client, "kubectl-edit").forProvider(Provider.SMI)
          .setWeights(new RouteTarget(ns.name(), "echo", 8080, null), Weights.canary(30));
      s.setVersion("v2");
      for (int i = 0; i < 3; i++) {
        Scenario.sleep(1000);
        assertThat(s.weights()).as("nothing is reconciled while suspended").contains(Weights.canary(30));
        assertThat(s.rollout().getStatus().phase).isEqualTo(Phase.Initialized);
      }
      s.patchSpec("{\"suspend\":false}");
      s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(90));
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
      assertThat(s.eventReasons()).contains("Suspended", "NewRevision");
    }
  }

  /**
   * v2 (a new image and a new ConfigMap content) is promoted and never becomes ready: at the deadline the rollback
   * gives the primary its v1 template back, on the v1 copy of the config, which the promotion never changed. Without
   * that, the primary's Deployment stays on v2 and makes a broken pod whenever one of its v1 pods is replaced.
   */
  @Test
  void promotedPrimaryThatNeverBecomesReadyHitsTheDeadlineAndIsTakenBack(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      client.resource(greeting(ns.name(), "hello")).serverSideApply();
      s.echo.configMap = "echo-config";
      s.canaryServes(20, 0);
      s.bootstrap(spec -> {
        spec.skipAnalysis = true;
        spec.progressDeadlineSeconds = 20;
      });
      String v1 = s.rollout().getStatus().lastPromotedSpec;
      String v1Copy = s.primaryEnvFrom();
      // v2 changes the template and the config: suspended meanwhile, so that both are one revision
      s.patchSpec("{\"suspend\":true}");
      Scenario.await("the suspension in the status", Duration.ofSeconds(30),
          () -> String.valueOf(s.rollout().getStatus().message).startsWith("suspended (spec.suspend)"));
      s.echo.failReadiness("echo-primary", "v2");
      client.resource(greeting(ns.name(), "bonjour")).fieldManager("kubectl").forceConflicts().serverSideApply();
      s.setVersion("v2");
      s.patchSpec("{\"suspend\":false}");
      Rollout promoting = s.awaitPhase(Phase.Promoting, Duration.ofSeconds(60));
      String v2 = promoting.getStatus().lastAppliedSpec;
      Scenario.await("v2 copied into the primary", Duration.ofSeconds(30),
          () -> s.primaryVersion().equals("plonk/echo:v2"));
      String v2Copy = s.primaryEnvFrom();
      assertThat(v2Copy).isNotEqualTo(v1Copy);
      assertThat(client.configMaps().inNamespace(ns.name()).withName(v1Copy).get().getData())
          .as("the v1 pods keep their copy while v2 rolls out").containsEntry("GREETING", "hello");
      assertThat(client.apps().controllerRevisions().inNamespace(ns.name()).withName("echo-primary-" + v1).get())
          .as("the primary's v1 template, kept while v2 is promoted").isNotNull();

      assertThat(s.awaitDeadlineRollback(Duration.ofSeconds(60)))
          .as("Flagger's check on the real status: the v1 pod stays while v2 is not ready")
          .contains("the promoted primary was not ready within progressDeadlineSeconds=20: 1 old replicas pending "
              + "termination; the primary goes back to revision " + v1);
      Scenario.await("the PrimaryReverted Event (recorded after the status)", Duration.ofSeconds(30),
          () -> s.eventReasons().contains("PrimaryReverted"));
      assertThat(s.events()).filteredOn(e -> "PrimaryReverted".equals(e.getReason())).singleElement()
          .satisfies(e -> assertThat(e.getMessage()).isEqualTo("the primary runs revision " + v1 + " again, with the "
              + "template and configs it had before revision " + v2 + " was promoted"));
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
      assertThat(PrimaryDeployment.templateHash(s.deployment("echo-primary"))).isEqualTo(v1);
      assertThat(s.primaryEnvFrom()).isEqualTo(v1Copy);
      Scenario.await("the primary back to one ready, updated v1 replica", Duration.ofSeconds(60), () -> {
        var status = s.deployment("echo-primary").getStatus();
        return List.of(1, 1, 1).equals(java.util.Arrays.asList(status.getReplicas(), status.getUpdatedReplicas(),
            status.getReadyReplicas()));
      });
      Scenario.await("v2's copy and the saved template deleted", Duration.ofSeconds(30),
          () -> client.configMaps().inNamespace(ns.name()).withName(v2Copy).get() == null
              && client.apps().controllerRevisions().inNamespace(ns.name()).list().getItems().isEmpty());
      assertThat(client.configMaps().inNamespace(ns.name()).withName(v1Copy).get().getData())
          .containsEntry("GREETING", "hello");
      s.awaitWeights(Weights.PRIMARY_ONLY);
      assertThat(s.events()).filteredOn(e -> "RolledBack".equals(e.getReason())).singleElement()
          .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    }
  }

  @Test
  void revisionPushedDuringPromotionIsAnalysedNotPromoted(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> { });
      s.echo.failReadiness("echo-primary", "v2");
      s.setVersion("v2");
      String v2 = s.awaitPhase(Phase.Promoting, Duration.ofSeconds(60)).getStatus().lastAppliedSpec;
      Scenario.await("v2 copied into the primary", Duration.ofSeconds(30),
          () -> s.primaryVersion().equals("plonk/echo:v2"));
      s.setVersion("v3");
      Scenario.await("the new revision held out of the route", Duration.ofSeconds(30),
          () -> s.eventReasons().contains("NewRevisionWaits"));
      s.awaitWeights(Weights.PRIMARY_ONLY);
      assertThat(s.primaryVersion()).as("the primary carries the analysed v2, not v3").isEqualTo("plonk/echo:v2");
      s.echo.passReadiness("echo-primary", "v2");
      Scenario.await("v2 promoted, then v3 analysed and promoted", Duration.ofSeconds(90), () -> {
        Rollout r = s.rollout();
        return r.getStatus().phase == Phase.Succeeded && !v2.equals(r.getStatus().lastPromotedSpec);
      });
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v3");
      assertThat(s.events()).anySatisfy(e -> assertThat(e.getMessage()).isEqualTo("revision " + v2
          + " promoted after 0 failed checks"));
      assertThat(s.weightChanges()).as("v3 walked every step of its own analysis")
          .containsExactly("0->10", "0->10", "10->20", "10->20", "20->30", "20->30", "30->40", "30->40", "40->50",
              "40->50");
    }
  }

  private static ConfigMap greeting(String ns, String greeting) {
    return new ConfigMapBuilder().withNewMetadata().withName("echo-config").withNamespace(ns).endMetadata()
        .addToData("GREETING", greeting).build();
  }
}
