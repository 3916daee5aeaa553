package dev.plonk.e2e.pods;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.e2e.Rollouts;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Readiness as the real node decides it (kubelet probes, the deployment and ReplicaSet controllers, quota admission),
 * and progressDeadlineSeconds acting on it. Each wait is for a state that lasts (a pod that can never be Ready, a
 * ReplicaSet that quota forbids to grow); only then is the deadline shortened, so no step races the clock.
 */
@ExtendWith(OnPods.class)
class ReadinessOnPodsIT {
  private static final Duration WAIT = Duration.ofMinutes(4);
  /** Long enough never to pass while pods start on a loaded node; shortened once the rollout is stuck for good. */
  private static final int LONG_DEADLINE = 900;
  private static final int SHORT_DEADLINE = 20;

  @Test
  void canaryWhosePodsNeverBecomeReadyIsRolledBackAtTheDeadlineNamingTheFailingCheck(PlonkInstall plonk) {
    String name = "unready";
    PodRollouts fn = new PodRollouts(plonk, name);
    KubernetesClient client = plonk.client();
    try {
      apply(client, Echo.deployment(FUNCTIONS, name, "v1", "0"));
      fn.applyRollout(LONG_DEADLINE, "");
      fn.awaitPhase("Initialized", WAIT);
      String v1 = fn.rollout().getStatus().lastAppliedSpec;

      // v2's readiness probe asks a port nothing listens on: the kubelet's probe fails for as long as the pod lives
      Deployment v2 = Echo.deployment(FUNCTIONS, name, "v2", "0");
      v2.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet()
          .setPort(new IntOrString(8081));
      apply(client, v2);
      Rollouts.await("the kubelet to report a failed readiness probe of a v2 pod", WAIT, () -> fn
          .eventsOfNamesStartingWith("Pod", name + "-").stream().filter(e -> !e.getInvolvedObject().getName()
              .startsWith(name + "-primary")).anyMatch(e -> "Unhealthy".equals(e.getReason())
                  && e.getMessage().startsWith("Readiness probe failed")));
      Rollout waiting = fn.await("waiting for its canary, naming the failing check", WAIT, r ->
          r.getStatus().message != null && r.getStatus().message.contains("0 of 1 updated replicas available"));
      assertThat(waiting.getStatus().phase.name()).isEqualTo("Waiting");
      assertThat(waiting.getStatus().message).startsWith("waiting for the canary Deployment to be ready: "
          + "0 of 1 updated replicas available (needs 1, readyThreshold 100%)");

      Rollout failed = rolledBackAtTheDeadline(fn, "the canary was not ready within progressDeadlineSeconds="
          + SHORT_DEADLINE + ": 0 of 1 updated replicas available");
      Rollouts.awaitPrimaryOnly(client, FUNCTIONS, name);
      Rollouts.await("the canary scaled to 0", WAIT, () -> fn.replicas(name) == 0);
      assertThat(failed.getStatus().lastPromotedSpec).as("the primary still runs v1").isEqualTo(v1);
    } finally {
      fn.delete();
    }
  }

  /**
   * The primary cannot roll to the promoted revision: a ResourceQuota (scoped to this function's PriorityClass, so
   * nothing else in the namespace is limited) allows 2 pods, the primary and the canary, and the deployment
   * controller's surge pod for the primary is refused by quota admission for as long as the canary runs.
   */
  @Test
  void primaryThatNeverBecomesReadyAfterPromotionHitsTheDeadlineAndGetsItsTemplateBack(PlonkInstall plonk) {
    String name = "stuckprimary";
    String priorityClass = "plonk-e2e-" + name;
    PodRollouts fn = new PodRollouts(plonk, name);
    KubernetesClient client = plonk.client();
    try {
      client.resource(new PriorityClassBuilder().withNewMetadata().withName(priorityClass).endMetadata().withValue(0)
          .withDescription("ReadinessOnPodsIT: the pods its ResourceQuota counts").build()).serverSideApply();
      ResourceQuota quota = client.resource(new ResourceQuotaBuilder().withNewMetadata().withName(name)
          .withNamespace(FUNCTIONS).endMetadata().withNewSpec().addToHard("pods", new Quantity("2"))
          .withNewScopeSelector().addNewMatchExpression().withScopeName("PriorityClass").withOperator("In")
          .withValues(priorityClass).endMatchExpression().endScopeSelector().endSpec().build()).serverSideApply();
      Rollouts.await("the quota controller to count " + quota.getMetadata().getName(), WAIT, () -> {
        ResourceQuota q = client.resourceQuotas().inNamespace(FUNCTIONS).withName(name).get();
        return q.getStatus() != null && q.getStatus().getUsed() != null && q.getStatus().getUsed().containsKey("pods");
      });
      apply(client, withPriorityClass(Echo.deployment(FUNCTIONS, name, "v1", "0"), priorityClass));
      fn.applyRollout(LONG_DEADLINE, "");
      fn.awaitPhase("Initialized", WAIT);
      String v1 = fn.rollout().getStatus().lastAppliedSpec;

      apply(client, withPriorityClass(Echo.deployment(FUNCTIONS, name, "v2", "0"), priorityClass));
      // (the canary may wait for the same reason first, while the v1 target pod still counts against the quota)
      fn.await("promoting, waiting for the primary's new replica", WAIT, r -> r.getStatus().message != null
          && r.getStatus().message.startsWith("waiting for the promoted primary to be ready: 0 of 1 new replicas updated"));
      Rollouts.await("the ReplicaSet controller refused by quota", WAIT, () -> fn
          .eventsOfNamesStartingWith("ReplicaSet", name + "-primary-").stream().anyMatch(e ->
              "FailedCreate".equals(e.getReason()) && e.getMessage().contains("exceeded quota: " + name)));

      Rollout failed = rolledBackAtTheDeadline(fn, "the promoted primary was not ready within "
          + "progressDeadlineSeconds=" + SHORT_DEADLINE + ": 0 of 1 new replicas updated");
      assertThat(failed.getStatus().lastPromotedSpec).as("v2 was never promoted").isEqualTo(v1);
      Rollouts.awaitPrimaryOnly(client, FUNCTIONS, name);
      // the rollback gave the primary its v1 template back: the deployment controller returns to the v1 ReplicaSet,
      // and no v2 pod appears once the canary's pod frees the quota
      Rollouts.await("the PrimaryReverted Event", WAIT, () -> fn.events("Rollout", name).stream()
          .anyMatch(e -> "PrimaryReverted".equals(e.getReason())));
      Rollouts.await("the primary Deployment complete on v1", WAIT, () -> {
        Deployment primary = client.apps().deployments().inNamespace(FUNCTIONS).withName(name + "-primary").get();
        var st = primary.getStatus();
        return v1.equals(primary.getMetadata().getAnnotations().get("plonk.dev/template-hash"))
            && primary.getMetadata().getGeneration().equals(st.getObservedGeneration())
            && Integer.valueOf(1).equals(st.getReplicas()) && Integer.valueOf(1).equals(st.getUpdatedReplicas())
            && Integer.valueOf(1).equals(st.getReadyReplicas());
      });
      assertThat(client.apps().replicaSets().inNamespace(FUNCTIONS).list().getItems()).as("the primary's ReplicaSets")
          .filteredOn(rs -> rs.getMetadata().getName().startsWith(name + "-primary-"))
          .filteredOn(rs -> rs.getSpec().getReplicas() > 0).singleElement()
          .satisfies(rs -> assertThat(rs.getMetadata().getAnnotations()).containsEntry("plonk.dev/template-hash", v1));
    } finally {
      fn.delete();
      client.resourceQuotas().inNamespace(FUNCTIONS).withName(name).delete();
      client.scheduling().v1().priorityClasses().withName(priorityClass).delete();
    }
  }

  /** Shortens the deadline of a rollout stuck for good, and waits for the rollback it causes, with its reason. */
  private static Rollout rolledBackAtTheDeadline(PodRollouts fn, String reason) {
    fn.patchSpec("{\"progressDeadlineSeconds\":" + SHORT_DEADLINE + "}");
    Rollout failed = fn.awaitPhase("Failed", WAIT);
    assertThat(failed.getStatus().conditions).filteredOn(c -> "Ready".equals(c.getType())).singleElement()
        .satisfies(c -> {
          assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
          assertThat(c.getMessage()).startsWith("rolled back revision ").contains(reason);
        });
    // the controller commits the status first and records its Events after
    Rollouts.await("the RolledBack Event", WAIT, () -> fn.events("Rollout", failed.getMetadata().getName()).stream()
        .anyMatch(e -> "RolledBack".equals(e.getReason()) && e.getMessage().contains(reason)));
    return failed;
  }

  private static Deployment withPriorityClass(Deployment d, String priorityClass) {
    d.getSpec().getTemplate().getSpec().setPriorityClassName(priorityClass);
    return d;
  }

  private static void apply(KubernetesClient client, Deployment d) {
    client.apps().deployments().inNamespace(FUNCTIONS).resource(d).forceConflicts().serverSideApply();
  }
}
