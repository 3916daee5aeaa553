package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.controller.analysis.Readiness;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

/** Flagger's readiness checks, in order, each with its reason. */
class DeploymentReadinessTest {

  static Deployment deployment(int desired, long generation, Long observed, int replicas, int updated, int available) {
    return new DeploymentBuilder().withNewMetadata().withName("echo").withGeneration(generation).endMetadata()
        .withNewSpec().withReplicas(desired).endSpec()
        .withNewStatus().withObservedGeneration(observed).withReplicas(replicas).withUpdatedReplicas(updated)
        .withReadyReplicas(available).withAvailableReplicas(available).endStatus().build();
  }

  @Test
  void readyWhenEveryReplicaIsUpdatedAndAvailable() {
    assertThat(DeploymentReadiness.check(deployment(3, 2, 2L, 3, 3, 3), 100)).isEqualTo(Readiness.READY);
  }

  @Test
  void eachFailingCheckIsNamed() {
    assertThat(DeploymentReadiness.check(null, 100).reason()).isEqualTo("the Deployment does not exist");
    assertThat(DeploymentReadiness.check(deployment(3, 2, 1L, 3, 3, 3), 100).reason())
        .isEqualTo("the Deployment controller has not observed generation 2 yet");
    assertThat(DeploymentReadiness.check(deployment(3, 2, 2L, 3, 2, 2), 100).reason())
        .isEqualTo("2 of 3 new replicas updated");
    assertThat(DeploymentReadiness.check(deployment(3, 2, 2L, 4, 3, 3), 100).reason())
        .as("ready and updated, but an old replica still terminates: the old check called this ready")
        .isEqualTo("1 old replicas pending termination");
    assertThat(DeploymentReadiness.check(deployment(3, 2, 2L, 3, 3, 2), 100).reason())
        .as("available lags updated").isEqualTo("2 of 3 updated replicas available (needs 3, readyThreshold 100%)");
  }

  @Test
  void aDeploymentAtZeroReplicasIsNotReady() {
    assertThat(DeploymentReadiness.check(deployment(0, 3, 3L, 0, 0, 0), 100).reason())
        .as("a canary the controller just scaled up, read before the scale-up reached the cache")
        .isEqualTo("the Deployment is scaled to 0 replicas");
  }

  @Test
  void readyThresholdLowersTheAvailableShare() {
    assertThat(DeploymentReadiness.check(deployment(4, 1, 1L, 4, 4, 2), 50).ready()).isTrue();
    assertThat(DeploymentReadiness.check(deployment(4, 1, 1L, 4, 4, 1), 50).reason())
        .isEqualTo("1 of 4 updated replicas available (needs 2, readyThreshold 50%)");
  }

  @Test
  void theDeploymentsOwnProgressDeadlineIsNotReady() {
    Deployment d = deployment(1, 1, 1L, 1, 1, 0);
    d.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder()
        .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
        .withMessage("ReplicaSet \"echo-1\" has timed out progressing.").build());
    assertThat(DeploymentReadiness.check(d, 100).reason()).startsWith("the Deployment exceeded its progressDeadlineSeconds");
  }
}
