package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.mesh.BackendNames;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Wakes a Rollout when its target or primary Deployment changes (a new template, readiness). Deployments are mapped
 * to Rollouts through an index of {@code namespace/targetRef.name} on the Rollout cache.
 */
final class TargetEventSource {
  private static final String INDEX = "plonk-target";

  private TargetEventSource() {}

  static InformerEventSource<Deployment, Rollout> create(EventSourceContext<Rollout> context) {
    context.getPrimaryCache().addIndexer(INDEX, r -> List.of(key(r.getMetadata().getNamespace(), r.getSpec().targetRef.name)));
    var config = InformerEventSourceConfiguration.from(Deployment.class, Rollout.class)
        .withName("deployments")
        .withItemStore(CachePruning.withoutManagedFields())
        .withSecondaryToPrimaryMapper((Deployment d) -> rolloutsFor(context, d))
        .build();
    return new InformerEventSource<>(config, context);
  }

  private static Set<ResourceID> rolloutsFor(EventSourceContext<Rollout> context, Deployment d) {
    String name = d.getMetadata().getName();
    String ns = d.getMetadata().getNamespace();
    String target = BackendNames.withoutPrimarySuffix(name);
    return java.util.stream.Stream.of(name, target).distinct()
        .flatMap(n -> rolloutsTargeting(context, ns, n).stream()).collect(Collectors.toSet());
  }

  /** The Rollouts of the namespace whose {@code targetRef.name} is {@code name}. */
  static Set<ResourceID> rolloutsTargeting(EventSourceContext<Rollout> context, String ns, String name) {
    return context.getPrimaryCache().byIndex(INDEX, key(ns, name)).stream().map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
