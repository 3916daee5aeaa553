package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Optional;

/**
 * The primary's template from before a promotion, kept as a ControllerRevision ({@code <primary>-<revision>}, the
 * object StatefulSets and DaemonSets keep their history in) until the promotion ends, so that a promoted revision
 * that never becomes ready can be taken back: the primary then runs exactly what it ran before, on its old config
 * copies, which a promotion never changes.
 */
final class PrimaryHistory {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private final KubernetesClient client;
  private final String fieldManager;

  PrimaryHistory(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  /** Keeps {@code primary}'s template under its revision; written before the promotion changes it. */
  void save(Deployment primary, OwnerReference owner) {
    String revision = PrimaryDeployment.templateHash(primary);
    ControllerRevision saved = new ControllerRevisionBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(name(primary, revision))
            .withNamespace(primary.getMetadata().getNamespace())
            .addToLabels(ControllerSettings.MANAGED_BY, ControllerSettings.FIELD_MANAGER)
            .addToAnnotations(PrimaryDeployment.TEMPLATE_HASH, revision).withOwnerReferences(owner).build())
        .withRevision(primary.getMetadata().getGeneration() == null ? 1 : primary.getMetadata().getGeneration())
        .withData(Map.of("template", primary.getSpec().getTemplate())).build();
    client.resource(saved).fieldManager(fieldManager).forceConflicts().serverSideApply();
  }

  /** The template the primary ran as {@code revision}, if it was saved. */
  Optional<PodTemplateSpec> template(Deployment primary, String revision) {
    ControllerRevision saved = client.apps().controllerRevisions().inNamespace(primary.getMetadata().getNamespace())
        .withName(name(primary, revision)).get();
    if (saved == null || saved.getData() == null) {
      return Optional.empty();
    }
    // data is a RawExtension: whatever type fabric8 read it as, its JSON is {"template": ...}
    Map<?, ?> data = JSON.unmarshal(JSON.asJson(saved.getData()), Map.class);
    return Optional.ofNullable(data.get("template")).map(t -> JSON.convertValue(t, PodTemplateSpec.class));
  }

  /** Forgets every template this Rollout saved: a promotion that ended has nothing left to take back. */
  void forget(Rollout rollout) {
    PrimaryConfigs.ownedBy(client.apps().controllerRevisions().inNamespace(rollout.getMetadata().getNamespace())
        .withLabel(ControllerSettings.MANAGED_BY, ControllerSettings.FIELD_MANAGER).list().getItems(), rollout)
        .forEach(r -> client.resource(r).delete());
  }

  private static String name(Deployment primary, String revision) {
    return primary.getMetadata().getName() + "-" + revision;
  }
}
