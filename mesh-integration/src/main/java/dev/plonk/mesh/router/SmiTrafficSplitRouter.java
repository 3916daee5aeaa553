package dev.plonk.mesh.router;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SMI {@code split.smi-spec.io/v1alpha2 TrafficSplit <apex>} with backends {@code <apex>-primary} and {@code <apex>-canary}. */
public final class SmiTrafficSplitRouter implements TrafficRouter {
  public static final ResourceDefinitionContext TRAFFIC_SPLIT = new ResourceDefinitionContext.Builder()
      .withGroup("split.smi-spec.io").withVersion("v1alpha2").withKind("TrafficSplit").withPlural("trafficsplits")
      .withNamespaced(true).build();
  private final KubernetesClient client;
  private final String fieldManager;

  public SmiTrafficSplitRouter(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  @Override
  public void reconcile(RouteTarget target) {
    if (splits(target).withName(target.apex()).get() == null) {
      setWeights(target, Weights.PRIMARY_ONLY);
    }
  }

  @Override
  public void setWeights(RouteTarget target, Weights weights) {
    splits(target).resource(desired(target, weights)).fieldManager(fieldManager).forceConflicts().serverSideApply();
  }

  @Override
  public Optional<Weights> getWeights(RouteTarget target) {
    GenericKubernetesResource split = splits(target).withName(target.apex()).get();
    if (split == null) {
      return Optional.empty();
    }
    List<Map<String, Object>> backends = split.get("spec", "backends");
    Integer primary = null;
    Integer canary = null;
    for (Map<String, Object> b : backends == null ? List.<Map<String, Object>>of() : backends) {
      int weight = ((Number) b.getOrDefault("weight", 0)).intValue();
      if (target.primary().equals(b.get("service"))) {
        primary = weight;
      } else if (target.canary().equals(b.get("service"))) {
        canary = weight;
      }
    }
    return primary == null || canary == null || primary + canary != 100 ? Optional.empty()
        : Optional.of(new Weights(primary, canary));
  }

  @Override
  public void finalize(RouteTarget target) {
    splits(target).withName(target.apex()).delete();
  }

  /** The TrafficSplit this router writes (public for tests and dry runs). */
  public static GenericKubernetesResource desired(RouteTarget target, Weights weights) {
    GenericKubernetesResourceBuilder b = new GenericKubernetesResourceBuilder()
        .withApiVersion("split.smi-spec.io/v1alpha2").withKind("TrafficSplit")
        .withNewMetadata().withName(target.apex()).withNamespace(target.namespace())
        .addToLabels("app.kubernetes.io/managed-by", "plonk-rollout-controller").endMetadata()
        .addToAdditionalProperties("spec", Map.of("service", target.apex(), "backends", List.of(
            Map.of("service", target.primary(), "weight", weights.primary()),
            Map.of("service", target.canary(), "weight", weights.canary()))));
    GenericKubernetesResource split = b.build();
    if (target.owner() != null) {
      split.getMetadata().setOwnerReferences(List.of(target.owner()));
    }
    return split;
  }

  private NonNamespaceOperation<GenericKubernetesResource, io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> splits(RouteTarget target) {
    return client.genericKubernetesResources(TRAFFIC_SPLIT).inNamespace(target.namespace());
  }
}
