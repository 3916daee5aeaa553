package dev.plonk.controller;

import dev.plonk.api.v1alpha1.TrackedConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The target's revision as read in one reconcile: its pod template plus the ConfigMaps and Secrets it references.
 * A referenced config that does not exist is not tracked (its pods cannot start either; the readiness says so).
 *
 * @param configs the referenced configs as read now, to copy for the primary on promotion
 */
public record TargetRevision(String hash, List<TrackedConfig> tracked, List<HasMetadata> configs) {

  public static TargetRevision read(KubernetesClient client, Deployment target) {
    String ns = target.getMetadata().getNamespace();
    List<TrackedConfig> tracked = new ArrayList<>();
    List<HasMetadata> configs = new ArrayList<>();
    for (String ref : TrackedConfigs.refs(target.getSpec().getTemplate())) {
      String kind = ref.substring(0, ref.indexOf('/'));
      String name = ref.substring(ref.indexOf('/') + 1);
      HasMetadata config = TrackedConfigs.CONFIG_MAP.equals(kind)
          ? client.configMaps().inNamespace(ns).withName(name).get()
          : client.secrets().inNamespace(ns).withName(name).get();
      if (config != null) {
        configs.add(config);
        tracked.add(new TrackedConfig(kind, name, TrackedConfigs.checksum(config)));
      }
    }
    String hash = TrackedConfigs.revision(TemplateHash.of(target.getSpec().getTemplate()), tracked);
    return new TargetRevision(hash, List.copyOf(tracked), List.copyOf(configs));
  }
}
