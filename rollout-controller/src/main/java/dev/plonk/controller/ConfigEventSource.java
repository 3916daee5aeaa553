package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Wakes the Rollouts whose target references a ConfigMap or Secret when that config changes, so a config edit starts
 * its analysis at once instead of at the next interval. The informers watch only the controller's namespaces, leave
 * out the controller's own {@code -primary} copies (label selector), and keep no data: their store holds each
 * object's name and resourceVersion only (the reconciler reads a config's data from the apiserver when it computes
 * the revision), so a namespace full of large Secrets costs the controller a few bytes per Secret.
 */
final class ConfigEventSource {
  private static final String INDEX = "plonk-configs";
  private static final String NOT_OUR_COPIES = ControllerSettings.MANAGED_BY + "!=" + ControllerSettings.FIELD_MANAGER;

  private ConfigEventSource() {}

  /** The ConfigMap and Secret event sources; indexes the Deployments' cache by the configs their templates reference. */
  static List<InformerEventSource<?, Rollout>> create(EventSourceContext<Rollout> context,
      InformerEventSource<Deployment, Rollout> deployments) {
    deployments.addIndexers(Map.of(INDEX, d -> TrackedConfigs.refs(d.getSpec().getTemplate()).stream()
        .map(ref -> d.getMetadata().getNamespace() + "/" + ref).toList()));
    KubernetesSerialization json = context.getClient().getKubernetesSerialization();
    return List.of(source(context, deployments, ConfigMap.class, TrackedConfigs.CONFIG_MAP, json),
        source(context, deployments, Secret.class, TrackedConfigs.SECRET, json));
  }

  private static <T extends HasMetadata> InformerEventSource<?, Rollout> source(EventSourceContext<Rollout> context,
      InformerEventSource<Deployment, Rollout> deployments, Class<T> type, String kind, KubernetesSerialization json) {
    var configuration = InformerEventSourceConfiguration.from(type, Rollout.class)
        .withName(kind.toLowerCase() + "s")
        .withNamespacesInheritedFromController()
        .withLabelSelector(NOT_OUR_COPIES)
        .withItemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, type, json))
        .withSecondaryToPrimaryMapper((T config) -> rolloutsFor(context, deployments, kind, config))
        .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** The Rollouts whose target Deployment's pod template references this config. */
  private static Set<ResourceID> rolloutsFor(EventSourceContext<Rollout> context,
      InformerEventSource<Deployment, Rollout> deployments, String kind, HasMetadata config) {
    String ns = config.getMetadata().getNamespace();
    return deployments.byIndex(INDEX, ns + "/" + kind + "/" + config.getMetadata().getName()).stream()
        .flatMap(d -> TargetEventSource.rolloutsTargeting(context, ns, d.getMetadata().getName()).stream())
        .collect(Collectors.toSet());
  }
}
