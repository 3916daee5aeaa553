package dev.plonk.controller;

import dev.plonk.mesh.BackendNames;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <target>-primary}: a copy of the target Deployment whose selector and pod labels are rewritten
 * ({@code value} → {@code value-primary}) so primary and canary pods never overlap, and whose ConfigMap and Secret
 * references point at the primary's own copies ({@link TrackedConfigs#copyName}).
 */
public final class PrimaryDeployment {
  /** The revision (pod-template hash, with the tracked configs' checksums) the primary was copied from. */
  public static final String TEMPLATE_HASH = "plonk.dev/template-hash";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private PrimaryDeployment() {}

  public static String name(String target) {
    return BackendNames.primary(target);
  }

  /** The selector labels of the primary's pods. */
  public static Map<String, String> selector(Deployment target) {
    Map<String, String> out = new LinkedHashMap<>();
    target.getSpec().getSelector().getMatchLabels().forEach((k, v) -> out.put(k, BackendNames.primary(v)));
    return out;
  }

  /**
   * The primary for {@code target}'s current template, labelled with {@code revision}.
   *
   * @param replicas null to leave the replicas to whoever owns them (an HPA)
   */
  public static Deployment desired(Deployment target, Integer replicas, OwnerReference owner, TargetRevision revision) {
    Map<String, String> selector = selector(target);
    PodTemplateSpec template = JSON.clone(target.getSpec().getTemplate());
    Map<String, String> podLabels = new LinkedHashMap<>(template.getMetadata().getLabels());
    podLabels.putAll(selector);
    template.getMetadata().setLabels(podLabels);
    TrackedConfigs.renameForPrimary(template.getSpec(), revision.tracked());
    return withTemplate(target.getMetadata().getNamespace(), name(target.getMetadata().getName()), selector, template,
        replicas, owner, revision.hash());
  }

  /** The primary running {@code template} (already the primary's: its labels and config copies), as {@code revision}. */
  public static Deployment withTemplate(String namespace, String name, Map<String, String> selector,
      PodTemplateSpec template, Integer replicas, OwnerReference owner, String revision) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ControllerSettings.MANAGED_BY, ControllerSettings.FIELD_MANAGER);
    labels.putAll(selector);
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .withLabels(labels).addToAnnotations(TEMPLATE_HASH, revision)
        .withOwnerReferences(List.of(owner)).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(selector).endSelector()
        .withTemplate(template).endSpec()
        .build();
  }

  public static String templateHash(Deployment primary) {
    return primary == null || primary.getMetadata().getAnnotations() == null ? null
        : primary.getMetadata().getAnnotations().get(TEMPLATE_HASH);
  }
}
