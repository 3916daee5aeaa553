package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/** The primary's own copies ({@code <name>-primary}) of the ConfigMaps and Secrets of the revision it runs. */
final class PrimaryConfigs {
  private final KubernetesClient client;
  private final String fieldManager;

  PrimaryConfigs(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  /** Writes the copies of a revision's configs, at bootstrap and on promotion only. */
  void copy(TargetRevision revision, OwnerReference owner) {
    for (HasMetadata config : revision.configs()) {
      HasMetadata copy;
      if (config instanceof ConfigMap cm) {
        copy = new ConfigMapBuilder().withData(cm.getData()).withBinaryData(cm.getBinaryData()).build();
      } else {
        Secret secret = (Secret) config;
        copy = new SecretBuilder().withType(secret.getType()).withData(secret.getData()).build();
      }
      copy.setMetadata(new ObjectMetaBuilder().withName(PrimaryDeployment.name(config.getMetadata().getName()))
          .withNamespace(config.getMetadata().getNamespace())
          .addToLabels("app.kubernetes.io/managed-by", ControllerSettings.FIELD_MANAGER)
          .withOwnerReferences(owner).build());
      client.resource(copy).fieldManager(fieldManager).forceConflicts().serverSideApply();
    }
  }

  /** On deletion without revert: the copies stay, without an owner, for the primary that keeps serving. */
  void orphan(Rollout rollout) {
    String ns = rollout.getMetadata().getNamespace();
    String noOwner = "{\"metadata\":{\"ownerReferences\":null}}";
    for (ConfigMap copy : ownedBy(client.configMaps().inNamespace(ns).list().getItems(), rollout)) {
      client.configMaps().inNamespace(ns).withName(copy.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), noOwner);
    }
    for (Secret copy : ownedBy(client.secrets().inNamespace(ns).list().getItems(), rollout)) {
      client.secrets().inNamespace(ns).withName(copy.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), noOwner);
    }
  }

  private static <T extends HasMetadata> List<T> ownedBy(List<T> objects, Rollout rollout) {
    return objects.stream().filter(o -> o.getMetadata().getOwnerReferences() != null && o.getMetadata()
        .getOwnerReferences().stream().anyMatch(r -> rollout.getMetadata().getUid().equals(r.getUid()))).toList();
  }
}
