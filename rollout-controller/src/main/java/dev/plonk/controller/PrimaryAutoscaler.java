package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** {@code <hpa>-primary}: a copy of the Rollout's {@code spec.autoscalerRef} that scales {@code <target>-primary}. */
final class PrimaryAutoscaler {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private final KubernetesClient client;
  private final String fieldManager;

  PrimaryAutoscaler(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  /** Writes the primary's HPA from the target's, at bootstrap and on every promotion. */
  void copy(Rollout rollout, Deployment target, OwnerReference owner) {
    String ns = rollout.getMetadata().getNamespace();
    String name = rollout.getSpec().autoscalerRef.name;
    HorizontalPodAutoscaler hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName(name).get();
    if (hpa == null) {
      throw new IllegalStateException("spec.autoscalerRef names HorizontalPodAutoscaler " + name
          + ", which does not exist in namespace " + ns + ": create it (targeting Deployment "
          + target.getMetadata().getName() + ") or remove autoscalerRef");
    }
    HorizontalPodAutoscalerSpec spec = JSON.clone(hpa.getSpec());
    spec.getScaleTargetRef().setName(PrimaryDeployment.name(target.getMetadata().getName()));
    client.resource(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName(PrimaryDeployment.name(name))
        .withNamespace(ns).addToLabels(ControllerSettings.MANAGED_BY, ControllerSettings.FIELD_MANAGER)
        .withOwnerReferences(owner).endMetadata().withSpec(spec).build())
        .fieldManager(fieldManager).forceConflicts().serverSideApply();
  }

  /** On deletion without revert: the primary's HPA stays, without an owner. */
  void orphan(Rollout rollout) {
    if (rollout.getSpec().autoscalerRef == null) {
      return;
    }
    var copy = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(rollout.getMetadata().getNamespace())
        .withName(PrimaryDeployment.name(rollout.getSpec().autoscalerRef.name));
    if (copy.get() != null) {
      copy.patch(ControllerSettings.mergePatch(fieldManager), "{\"metadata\":{\"ownerReferences\":null}}");
    }
  }
}
