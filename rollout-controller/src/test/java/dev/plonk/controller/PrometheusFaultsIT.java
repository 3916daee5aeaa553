package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.MetricCheck;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.ThresholdRange;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** No data and no Prometheus never promote: failedChecks grows with a reason, then the canary is rolled back. */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class PrometheusFaultsIT {

  @Test
  void prometheusStoppedMidAnalysisRollsBack(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> {
        spec.analysis.threshold = 2;
        spec.paused = true;
      });
      s.setVersion("v2");
      s.awaitPhase(Phase.Waiting, Duration.ofSeconds(30));
      Scenario.await("the pause to hold the new revision", Duration.ofSeconds(30),
          () -> String.valueOf(s.rollout().getStatus().message).contains("paused"));
      prometheus.stop();
      try {
        s.patchSpec("{\"paused\":false}");
        Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(60));
        assertThat(s.weightChanges()).as("the first step needs no check; no step while Prometheus is down")
            .containsExactly("0->10");
        assertThat(failed.getStatus().failedChecks).isEqualTo(2);
        assertThat(failed.getStatus().lastAnalysis).allSatisfy(r -> {
          assertThat(r.passed).isFalse();
          assertThat(r.value).isNull();
          assertThat(r.message).contains("is unreachable").contains("for query ");
        });
        assertThat(failed.getStatus().message).contains("2/2 failed checks").contains("unreachable");
        s.awaitWeights(Weights.PRIMARY_ONLY);
        assertThat(s.eventReasons()).contains("CheckFailed", "RolledBack").doesNotContain("Promoting");
      } finally {
        prometheus.start();
      }
    }
  }

  @Test
  void emptyVectorNeverPasses(KubernetesClient client, Kubernetes k8s, Prometheus prometheus, TestNamespace ns)
      throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> {
        MetricCheck custom = new MetricCheck("error-budget", new ThresholdRange(null, 1.0));
        custom.query = "sum(rate(plonk_no_such_series_total{namespace=\"{{namespace}}\",backend=\"{{canary}}\"}[{{interval}}]))";
        spec.analysis.metrics.add(custom);
      });
      s.setVersion("v2");
      Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(40));
      assertThat(failed.getStatus().failedChecks).isEqualTo(3);
      assertThat(failed.getStatus().canaryWeight).isZero();
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
      assertThat(failed.getStatus().lastAnalysis).filteredOn(r -> r.metric.equals("error-budget")).singleElement()
          .satisfies(r -> {
            assertThat(r.passed).isFalse();
            assertThat(r.message).isEqualTo("error-budget: query sum(rate(plonk_no_such_series_total{namespace=\""
                + ns.name() + "\",backend=\"echo-canary\"}[1s])) returned no data");
          });
      assertThat(failed.getStatus().lastAnalysis).filteredOn(r -> r.metric.equals("request-success-rate"))
          .singleElement().satisfies(r -> assertThat(r.passed).isTrue());
    }
  }
}
