package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** pause, promote, abort and retry through the real kubectl. */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class KubectlOperationsIT {

  @Test
  void pauseHoldsTheWeights(KubernetesClient client, Kubernetes k8s, Prometheus prometheus, TestNamespace ns)
      throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.canaryFails();
      s.bootstrap(spec -> spec.analysis.threshold = 1000);
      s.setVersion("v2");
      s.awaitHeldAt(10, Duration.ofSeconds(60));
      s.patchSpec("{\"paused\":true}");
      Scenario.await("the pause to be seen", Duration.ofSeconds(30),
          () -> String.valueOf(s.rollout().getStatus().message).contains("paused at canary weight 10"));
      s.canaryServes(20, 0);
      int failedAtPause = s.rollout().getStatus().failedChecks;
      for (int i = 0; i < 4; i++) {
        Scenario.sleep(1000);
        assertThat(s.weights().orElseThrow().canary()).as("held while paused, although the checks would pass")
            .isEqualTo(10);
      }
      assertThat(s.rollout().getStatus().failedChecks).as("no tick while paused").isEqualTo(failedAtPause);
      assertThat(s.rollout().getStatus().phase).isEqualTo(Phase.Progressing);
      s.patchSpec("{\"paused\":false}");
      s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(90));
      assertThat(s.weightChanges()).containsExactly("0->10", "10->20", "20->30", "30->40", "40->50");
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
    }
  }

  @Test
  void promoteSkipsTheRemainingAnalysis(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.GATEWAY_API)) {
      s.canaryServes(20, 0);
      s.canaryFails();
      s.bootstrap(spec -> spec.analysis.threshold = 1000);
      s.setVersion("v2");
      s.awaitHeldAt(10, Duration.ofSeconds(60));
      s.kubectl("annotate", "rollout", "echo", "plonk.dev/action=promote");
      Rollout done = s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(30));
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
      assertThat(done.getMetadata().getAnnotations()).doesNotContainKey("plonk.dev/action");
      assertThat(s.events()).anySatisfy(e -> assertThat(e.getMessage())
          .contains("promotion asked by plonk.dev/action=promote at canary weight 10"));
      assertThat(s.weightChanges()).containsExactly("0->10");
      assertThat(s.eventReasons()).doesNotContain("RolledBack");
    }
  }

  @Test
  void abortRollsBackNowAndRetryRerunsIt(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.canaryFails();
      s.bootstrap(spec -> spec.analysis.threshold = 1000);
      s.setVersion("v2");
      s.awaitHeldAt(10, Duration.ofSeconds(60));
      s.kubectl("annotate", "rollout", "echo", "plonk.dev/action=abort");
      Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(20));
      s.awaitWeights(Weights.PRIMARY_ONLY);
      assertThat(failed.getStatus().message).contains("aborted by plonk.dev/action=abort at canary weight 10");
      Scenario.await("the annotation removed", Duration.ofSeconds(10),
          () -> s.rollout().getMetadata().getAnnotations() == null
              || !s.rollout().getMetadata().getAnnotations().containsKey("plonk.dev/action"));
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");

      s.canaryServes(20, 0);
      s.kubectl("annotate", "rollout", "echo", "plonk.dev/action=retry");
      s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(90));
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
      assertThat(s.eventReasons()).contains("Retry");
      String table = s.kubectl("get", "rollouts", "-o", "wide");
      assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
          .containsExactly("NAME", "PHASE", "WEIGHT", "FAILED", "STRATEGY", "AGE", "MESSAGE");
      assertThat(table).contains("Succeeded").contains("canary");
      String explain = s.kubectl("explain", "rollout.spec.analysis");
      assertThat(explain).as("kubectl explain documents the fields, not only their types")
          .contains("Failed checks tolerated before the canary is rolled back")
          .contains("Time between two analysis ticks");
    }
  }
}
