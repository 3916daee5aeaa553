package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.controller.analysis.Statuses;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Flagger's readiness checks on the status the process runtime writes from real readiness probes: echo pods that fail
 * their probe ({@link EchoTarget#failReadiness}) are updated but not available, and the rollout says so in the status
 * it records when its progress deadline passes; a pod that passes its probe is available only after the Deployment's
 * {@code minReadySeconds}.
 */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class ReadinessIT {

  @Test
  void canaryThatNeverBecomesReadyIsRolledBackAtTheDeadline(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.bootstrap(spec -> spec.progressDeadlineSeconds = 10);
      s.echo.failReadiness("echo", "v2");
      s.setVersion("v2");
      assertThat(s.awaitDeadlineRollback(Duration.ofSeconds(60)))
          .as("Flagger's available < updated check, on the status of a pod failing its probe")
          .endsWith("from canary weight 0: the canary was not ready within progressDeadlineSeconds=10: 0 of 1 updated "
              + "replicas available (needs 1, readyThreshold 100%)");
      assertThat(s.weightChanges()).as("the canary never got traffic").isEmpty();
      s.awaitWeights(Weights.PRIMARY_ONLY);
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
    }
  }

  @Test
  void primaryThatIsNotReadyAtBootstrapPassesItsDeadlineThenInitializesWhenReady(KubernetesClient client,
      Kubernetes k8s, Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.echo.failReadiness("echo-primary", "v1");
      s.createTarget("v1");
      s.startOperator();
      s.createRollout(spec -> spec.progressDeadlineSeconds = 5);
      String expected = "the primary was not ready within progressDeadlineSeconds=5: 0 of 1 updated replicas "
          + "available (needs 1, readyThreshold 100%); the target keeps serving";
      Scenario.await("the deadline recorded as a Warning Event", Duration.ofSeconds(60),
          () -> s.events().stream().anyMatch(e -> expected.equals(e.getMessage())));
      Rollout waiting = s.rollout();
      assertThat(waiting.getStatus().phase).isEqualTo(Phase.Initializing);
      assertThat(Statuses.find(waiting.getStatus(), RolloutStatus.READY).getReason())
          .isEqualTo("ProgressDeadlineExceeded");
      var primary = s.deployment("echo-primary").getStatus();
      assertThat(List.of(primary.getReplicas(), primary.getUpdatedReplicas()))
          .as("replicas, updated of the primary whose pod fails its probe").containsExactly(1, 1);
      assertThat(primary.getAvailableReplicas()).isNull();
      assertThat(s.targetReplicas()).as("the target keeps serving").isEqualTo(1);

      s.echo.passReadiness("echo-primary", "v1");
      s.awaitPhase(Phase.Initialized, Duration.ofSeconds(60));
      s.awaitWeights(Weights.PRIMARY_ONLY);
    }
  }

  /**
   * The canary's pod passes its probe, but the Deployment asks it to stay ready for {@code minReadySeconds} before it
   * counts as available: the rollout waits (the old "ready >= desired" check called this ready), and starts the
   * analysis once the pod is available.
   */
  @Test
  void canaryWaitsUntilItsReadyPodIsAvailable(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.bootstrap(spec -> { });
      var target = client.apps().deployments().inNamespace(ns.name()).withName(Scenario.TARGET);
      target.edit(d -> new DeploymentBuilder(d).editSpec().withMinReadySeconds(300).endSpec().build());
      s.setVersion("v2");
      Scenario.await("the canary's pod ready but not available, and the rollout waiting for it", Duration.ofSeconds(60),
          () -> {
            var status = s.deployment(Scenario.TARGET).getStatus();
            return status != null && Integer.valueOf(1).equals(status.getReadyReplicas())
                && status.getAvailableReplicas() == null && String.valueOf(s.rollout().getStatus().message)
                .contains("waiting for the canary Deployment to be ready: 0 of 1 updated replicas available");
          });
      assertThat(s.rollout().getStatus().phase).isEqualTo(Phase.Waiting);
      assertThat(s.eventReasons()).doesNotContain("CanaryReady");

      target.edit(d -> new DeploymentBuilder(d).editSpec().withMinReadySeconds(0).endSpec().build());
      Scenario.await("the CanaryReady Event", Duration.ofSeconds(60), () -> s.eventReasons().contains("CanaryReady"));
    }
  }

  /**
   * The canary stops being ready during the analysis (held still first: paused at its weight, then made unready):
   * the analysis holds at that weight, as Flagger checks the canary before every tick, and goes on once it is ready.
   */
  @Test
  void canaryThatStopsBeingReadyHoldsTheAnalysisUntilItIsReadyAgain(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      int weight = pausedWithTheCanaryUnready(s);
      s.patchSpec("{\"paused\":false}");
      String held = "analysis held at canary weight " + weight + ": the canary is not ready: ";
      Scenario.await("the CanaryNotReady Event", Duration.ofSeconds(60),
          () -> s.events().stream().anyMatch(e -> e.getMessage().startsWith(held)));
      assertThat(s.events()).filteredOn(e -> "CanaryNotReady".equals(e.getReason())).singleElement()
          .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
      assertThat(Statuses.find(s.rollout().getStatus(), RolloutStatus.CANARY_READY).getStatus()).isEqualTo("False");

      s.echo.passReadiness("echo", "v2");
      Scenario.await("the CanaryReadyAgain Event", Duration.ofSeconds(60),
          () -> s.eventReasons().contains("CanaryReadyAgain"));
      assertThat(s.events()).filteredOn(e -> "CanaryReadyAgain".equals(e.getReason())).singleElement()
          .satisfies(e -> assertThat(e.getMessage()).as("no step while the canary was not ready")
              .isEqualTo("the canary is ready again at canary weight " + weight + ": the analysis goes on"));
      s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(120));
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
    }
  }

  @Test
  void canaryThatStopsBeingReadyIsRolledBackAtTheDeadline(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      int weight = pausedWithTheCanaryUnready(s);
      s.patchSpec("{\"paused\":false,\"progressDeadlineSeconds\":5}");
      assertThat(s.awaitDeadlineRollback(Duration.ofSeconds(60))).isEqualTo("rolled back revision "
          + s.rollout().getStatus().lastAppliedSpec + " from canary weight " + weight + ": the canary was not ready "
          + "again within progressDeadlineSeconds=5: 0 of 1 updated replicas available (needs 1, readyThreshold 100%)");
      assertThat(s.eventReasons()).contains("CanaryNotReady").doesNotContain("CanaryReadyAgain");
      s.awaitWeights(Weights.PRIMARY_ONLY);
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
    }
  }

  /** v2 under analysis, paused at its first weight, its pod failing the probe; returns the weight it is paused at. */
  private static int pausedWithTheCanaryUnready(Scenario s) throws Exception {
    s.canaryServes(20, 0);
    s.bootstrap(spec -> { });
    s.setVersion("v2");
    Scenario.await("the first step of v2", Duration.ofSeconds(90), () -> s.eventReasons().contains("WeightChanged"));
    s.patchSpec("{\"paused\":true}");
    Scenario.await("the pause in the status", Duration.ofSeconds(30),
        () -> String.valueOf(s.rollout().getStatus().message).startsWith("paused at canary weight"));
    s.echo.failReadiness("echo", "v2");
    Scenario.await("the canary Deployment not ready", Duration.ofSeconds(30), () -> {
      var status = s.deployment(Scenario.TARGET).getStatus();
      return status != null && status.getAvailableReplicas() == null;
    });
    return Statuses.intOr0(s.rollout().getStatus().canaryWeight);
  }
}
