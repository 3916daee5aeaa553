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
import java.util.List;
import org.junit.jupiter.api.Test;

/** No data and no Prometheus never promote: failedChecks grows with a reason, then the canary is rolled back. */
@DevStackTest(prometheus = true, upstreamCrds = true)
class PrometheusFaultsIT {

  @Test
  void prometheusStoppedMidAnalysisRollsBack(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> spec.analysis.threshold = 2);
      s.setVersion("v2");
      Scenario.await("canary weight 20", Duration.ofSeconds(30),
          () -> s.weights().map(Weights::canary).orElse(0) == 20);
      prometheus.stop();
      try {
        List<Integer> weights = Scenario.record(() -> s.weights().map(Weights::canary).orElse(-1), w -> w == 0,
            Duration.ofSeconds(30));
        assertThat(weights).as("no step while Prometheus is down").allMatch(w -> w <= 20);
        Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(10));
        assertThat(failed.getStatus().failedChecks).isEqualTo(2);
        assertThat(failed.getStatus().lastAnalysis).allSatisfy(r -> {
          assertThat(r.passed).isFalse();
          assertThat(r.value).isNull();
          assertThat(r.message).contains("is unreachable").contains("for query ");
        });
        assertThat(failed.getStatus().message).contains("2/2 failed checks").contains("unreachable");
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
