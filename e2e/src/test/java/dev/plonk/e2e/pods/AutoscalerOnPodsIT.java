package dev.plonk.e2e.pods;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.e2e.Rollouts;
import dev.plonk.e2e.pods.ReplicaHistory.Change;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * spec.autoscalerRef with the real HPA controller of kube-controller-manager. The node has no metrics-server, so the
 * HPA cannot compute a utilisation; what it still does (pkg/controller/podautoscaler, before any metric is read) is
 * raise a Deployment below minReplicas to minReplicas, and leave one at 0 replicas alone ("ScalingDisabled"). The
 * test drives the HPA through minReplicas only: 2 at the start, 3 while the canary runs (paused), and follows every
 * write of spec.replicas of the target and the primary over the whole rollout, with who made it.
 */
@ExtendWith(OnPods.class)
class AutoscalerOnPodsIT {
  private static final String NAME = "scaled";
  private static final String PRIMARY = NAME + "-primary";
  private static final String HPA_CONTROLLER = "kube-controller-manager/scale";
  private static final String SCALER = "plonk-rollout-controller";
  private static final Duration WAIT = Duration.ofMinutes(4);

  @Test
  void theHpaScalesTargetAndPrimaryAndTheControllerNeverFightsIt(PlonkInstall plonk) {
    KubernetesClient client = plonk.client();
    PodRollouts fn = new PodRollouts(plonk, NAME);
    try (ReplicaHistory history = new ReplicaHistory(client, FUNCTIONS, Set.of(NAME, PRIMARY))) {
      apply(client, "v1");
      client.resource(hpa(2)).create();
      awaitRescale(fn, NAME, 2);

      fn.applyRollout(900, """
          autoscalerRef: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: %s}
          paused: true
          """.formatted(NAME));
      fn.awaitPhase("Initialized", WAIT);
      HorizontalPodAutoscaler copy = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(FUNCTIONS)
          .withName(PRIMARY).get();
      assertThat(copy.getSpec().getScaleTargetRef().getName()).as("the primary's own HPA").isEqualTo(PRIMARY);
      assertThat(copy.getSpec().getMinReplicas()).isEqualTo(2);

      // v2, paused before the analysis: the canary runs, scaled up from the primary's current replicas
      apply(client, "v2");
      fn.await("paused with the canary scaled up", WAIT, r -> r.getStatus().message != null
          && r.getStatus().message.startsWith("paused at canary weight 0"));
      Rollouts.await("the canary at the primary's 2 replicas", WAIT, () -> fn.replicas(NAME) == 2);

      // the target's HPA raises the running canary to 3; the controller must leave it there
      client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(FUNCTIONS).withName(NAME)
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"minReplicas\":3}}");
      awaitRescale(fn, NAME, 3);
      fn.patchSpec("{\"paused\":false}");
      fn.awaitPhase("Succeeded", WAIT);
      assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(FUNCTIONS).withName(PRIMARY).get()
          .getSpec().getMinReplicas()).as("the primary's HPA copied again on promotion").isEqualTo(3);
      awaitRescale(fn, PRIMARY, 3);
      Rollouts.await("the canary scaled to 0", WAIT, () -> fn.replicas(NAME) == 0);
      Rollouts.await("the primary at 3 replicas", WAIT, () -> fn.replicas(PRIMARY) == 3);

      String controller = controllerManager(history.of(PRIMARY), history);
      assertThat(history.of(PRIMARY)).as("the primary: created by the controller, then written by its HPA only: %s",
          history).extracting(Change::toString).containsExactly("2 by " + controller, "3 by " + HPA_CONTROLLER);
      // the target: 1 (defaulted), 2 and 3 by its HPA (its Events above), 0 / 2 / 0 by the controller, which only
      // ever scales it to or from 0 (the apiserver records no owner for the HPA's first write of a defaulted field)
      List<Change> target = history.of(NAME);
      assertThat(target).as("the target's replicas: %s", history).extracting(Change::replicas)
          .containsExactly(1, 2, 0, 2, 3, 0);
      // the controller's scale writes are merge patches under its own field manager
      assertThat(target).as("the controller scaled the target: %s", history)
          .anySatisfy(c -> assertThat(c.owners()).contains(SCALER));
      for (int i = 1; i < target.size(); i++) {
        if (target.get(i).owners().contains(SCALER)) {
          assertThat(target.get(i - 1).replicas() == 0 || target.get(i).replicas() == 0)
              .as("the controller wrote %s after %s: only to or from 0; %s", target.get(i), target.get(i - 1), history)
              .isTrue();
        }
      }
      assertThat(target.get(4)).as("the canary raised to 3 by its HPA and left there").hasToString("3 by " + HPA_CONTROLLER);
      assertThat(client.apps().deployments().inNamespace(FUNCTIONS).withName(PRIMARY).get().getMetadata()
          .getManagedFields()).as("the controller's applies of the primary never claim spec.replicas")
          .filteredOn(f -> "Apply".equals(f.getOperation()))
          .allSatisfy(f -> assertThat(String.valueOf(f.getFieldsV1().getAdditionalProperties().get("f:spec")))
              .doesNotContain("f:replicas"));
    } finally {
      fn.delete();
    }
  }

  /** Waits for the real HPA controller's Event raising {@code deployment} (through its HPA) to minReplicas. */
  private static void awaitRescale(PodRollouts fn, String hpa, int size) {
    Rollouts.await("HPA " + hpa + " to raise its Deployment to minReplicas " + size, WAIT, () -> fn
        .events("HorizontalPodAutoscaler", hpa).stream().map(Event::getMessage).anyMatch(m ->
            m.equals("New size: " + size + "; reason: Current number of replicas below Spec.MinReplicas")));
  }

  /** The manager that created the primary: the controller's client (not a test client, not the HPA). */
  private static String controllerManager(List<Change> primary, ReplicaHistory history) {
    assertThat(primary).as("the primary's replica changes: %s", history).isNotEmpty();
    assertThat(primary.get(0).owners()).as("who created the primary: %s", history).hasSize(1)
        .doesNotContain(HPA_CONTROLLER);
    return primary.get(0).owners().iterator().next();
  }

  /** The target without spec.replicas: nobody but the HPA (and the controller, to and from 0) sets them. */
  private static void apply(KubernetesClient client, String version) {
    Deployment d = Echo.deployment(FUNCTIONS, NAME, version, "0");
    d.getSpec().setReplicas(null);
    client.apps().deployments().inNamespace(FUNCTIONS).resource(d).forceConflicts().serverSideApply();
  }


  private static HorizontalPodAutoscaler hpa(int minReplicas) {
    return new HorizontalPodAutoscalerBuilder().withNewMetadata().withName(NAME).withNamespace(FUNCTIONS).endMetadata()
        .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(NAME)
        .endScaleTargetRef().withMinReplicas(minReplicas).withMaxReplicas(4)
        .addNewMetric().withType("Resource").withNewResource().withName("cpu").withNewTarget().withType("Utilization")
        .withAverageUtilization(80).endTarget().endResource().endMetric().endSpec().build();
  }
}
