package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The primary's own copies of the ConfigMaps and Secrets of the revisions it runs, one immutable copy per content
 * ({@link TrackedConfigs#copyName}). A promotion adds the new revision's copies beside the old ones; when it ends, the
 * copies the primary no longer refers to are deleted ({@link #prune}).
 */
final class PrimaryConfigs {
  private final KubernetesClient client;
  private final String fieldManager;

  PrimaryConfigs(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  /** Writes the copies of a revision's configs, at bootstrap and on promotion only. */
  void copy(TargetRevision revision, OwnerReference owner) {
    for (int i = 0; i < revision.configs().size(); i++) {
      HasMetadata config = revision.configs().get(i);
      HasMetadata copy;
      if (config instanceof ConfigMap cm) {
        copy = new ConfigMapBuilder().withData(cm.getData()).withBinaryData(cm.getBinaryData()).withImmutable(true)
            .build();
      } else {
        Secret secret = (Secret) config;
        copy = new SecretBuilder().withType(secret.getType()).withData(secret.getData()).withImmutable(true).build();
      }
      copy.setMetadata(new ObjectMetaBuilder().withName(TrackedConfigs.copyName(revision.tracked().get(i)))
          .withNamespace(config.getMetadata().getNamespace())
          .addToLabels(ControllerSettings.MANAGED_BY, ControllerSettings.FIELD_MANAGER)
          .withOwnerReferences(owner).build());
      client.resource(copy).fieldManager(fieldManager).forceConflicts().serverSideApply();
    }
  }

  /** Deletes the copies this Rollout owns that {@code primary} (the template it runs now) does not refer to. */
  void prune(Rollout rollout, PodTemplateSpec primary) {
    String ns = rollout.getMetadata().getNamespace();
    List<String> used = TrackedConfigs.refs(primary);
    String ours = ControllerSettings.FIELD_MANAGER;
    for (ConfigMap copy : ownedBy(client.configMaps().inNamespace(ns).withLabel(ControllerSettings.MANAGED_BY, ours)
        .list().getItems(), rollout)) {
      if (!used.contains(TrackedConfigs.CONFIG_MAP + "/" + copy.getMetadata().getName())) {
        client.resource(copy).delete();
      }
    }
    for (Secret copy : ownedBy(client.secrets().inNamespace(ns).withLabel(ControllerSettings.MANAGED_BY, ours)
        .list().getItems(), rollout)) {
      if (!used.contains(TrackedConfigs.SECRET + "/" + copy.getMetadata().getName())) {
        client.resource(copy).delete();
      }
    }
  }

  /** On deletion without revert: the copies stay, without an owner, for the primary that keeps serving. */
  void orphan(Rollout rollout) {
    String ns = rollout.getMetadata().getNamespace();
    String noOwner = "{\"metadata\":{\"ownerReferences\":null}}";
    for (ConfigMap copy : ownedBy(client.configMaps().inNamespace(ns).list().getItems(), rollout)) {
      client.configMaps().inNamespace(ns).withName(copy.getMetadata().getName())
          .patch(ControllerSettings.mergePatch(fieldManager), noOwner);
    }
    for (Secret copy : ownedBy(client.secrets().inNamespace(ns).list().getItems(), rollout)) {
      client.secrets().inNamespace(ns).withName(copy.getMetadata().getName())
          .patch(ControllerSettings.mergePatch(fieldManager), noOwner);
    }
  }

  static <T extends HasMetadata> List<T> ownedBy(List<T> objects, Rollout rollout) {
    return objects.stream().filter(o -> o.getMetadata().getOwnerReferences() != null && o.getMetadata()
        .getOwnerReferences().stream().anyMatch(r -> rollout.getMetadata().getUid().equals(r.getUid()))).toList();
  }
}
