package dev.plonk.mesh.router;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.smi_spec.split.v1alpha2.TrafficSplit;
import io.smi_spec.split.v1alpha2.TrafficSplitSpec;
import io.smi_spec.split.v1alpha2.trafficsplitspec.Backends;
import java.util.List;
import java.util.Optional;

/**
 * SMI {@code split.smi-spec.io/v1alpha2 TrafficSplit <apex>} with backends {@code <apex>-primary} and
 * {@code <apex>-canary}, through the model generated from the upstream CRD.
 */
public final class SmiTrafficSplitRouter implements TrafficRouter {
  private final KubernetesClient client;
  private final String fieldManager;

  public SmiTrafficSplitRouter(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  @Override
  public TrafficSplit setWeights(RouteTarget target, Weights weights) {
    return splits(target).resource(desired(target, weights)).fieldManager(fieldManager).forceConflicts().serverSideApply();
  }

  @Override
  public Optional<HasMetadata> get(RouteTarget target) {
    return Optional.ofNullable(splits(target).withName(target.apex()).get());
  }

  @Override
  public Class<TrafficSplit> routeType() {
    return TrafficSplit.class;
  }

  @Override
  public Optional<Weights> weightsOf(HasMetadata route, RouteTarget target) {
    return route instanceof TrafficSplit split
        ? SplitReader.fromTrafficSplit(split).flatMap(s -> s.weights(target)) : Optional.empty();
  }

  @Override
  public void finalize(RouteTarget target) {
    splits(target).withName(target.apex()).delete();
  }

  /** The TrafficSplit this router writes (public for tests and dry runs). */
  public static TrafficSplit desired(RouteTarget target, Weights weights) {
    TrafficSplit split = new TrafficSplit();
    split.setMetadata(new ObjectMetaBuilder().withName(target.apex()).withNamespace(target.namespace())
        .addToLabels("app.kubernetes.io/managed-by", "plonk-rollout-controller").build());
    if (target.owner() != null) {
      split.getMetadata().setOwnerReferences(List.of(target.owner()));
    }
    TrafficSplitSpec spec = new TrafficSplitSpec();
    spec.setService(target.apex());
    spec.setBackends(List.of(backend(target.primary(), weights.primary()), backend(target.canary(), weights.canary())));
    split.setSpec(spec);
    return split;
  }

  private static Backends backend(String service, int weight) {
    Backends backend = new Backends();
    backend.setService(service);
    backend.setWeight((double) weight);
    return backend;
  }

  private NonNamespaceOperation<TrafficSplit, KubernetesResourceList<TrafficSplit>, Resource<TrafficSplit>> splits(
      RouteTarget target) {
    return client.resources(TrafficSplit.class).inNamespace(target.namespace());
  }
}
