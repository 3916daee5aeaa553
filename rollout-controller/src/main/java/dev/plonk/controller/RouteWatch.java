package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.mesh.router.RouteTarget;
import dev.plonk.mesh.router.TrafficRouter;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the route objects the controller writes (TrafficSplits, HTTPRoutes, by its managed-by label): an edit by
 * someone else wakes the owning Rollout at once, and reading the live weights costs no apiserver request. A route type
 * the cluster does not serve gets no watch; its weights are then read from the apiserver.
 */
final class RouteWatch {
  static final String MANAGED_BY = "app.kubernetes.io/managed-by=plonk-rollout-controller";
  private final Map<Class<?>, InformerEventSource<HasMetadata, Rollout>> watches = new ConcurrentHashMap<>();
  /** The resourceVersion of each route as this controller last wrote it: the watch's event for that write is skipped. */
  private final Map<ResourceID, String> ownWrites = new ConcurrentHashMap<>();

  @SuppressWarnings("unchecked")
  List<EventSource<?, Rollout>> create(EventSourceContext<Rollout> context, KubernetesClient client,
      Collection<TrafficRouter> routers) {
    List<EventSource<?, Rollout>> sources = new ArrayList<>();
    for (TrafficRouter router : routers) {
      Class<HasMetadata> type = (Class<HasMetadata>) router.routeType();
      if (!client.supports(type)) {
        continue;
      }
      var config = InformerEventSourceConfiguration.from(type, Rollout.class)
          .withName("routes-" + HasMetadata.getPlural(type))
          .withLabelSelector(MANAGED_BY)
          .withItemStore(CachePruning.withoutManagedFields())
          .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Rollout.class))
          .withOnAddFilter(route -> !isOwnWrite(route))
          .withOnUpdateFilter((route, old) -> !isOwnWrite(route))
          .build();
      InformerEventSource<HasMetadata, Rollout> source = new InformerEventSource<>(config, context);
      watches.put(type, source);
      sources.add(source);
    }
    return sources;
  }

  /** The live weights: from the watch's cache when the route type is watched, else from the apiserver. */
  Optional<Weights> weights(TrafficRouter router, RouteTarget target) {
    InformerEventSource<HasMetadata, Rollout> watch = watches.get(router.routeType());
    if (watch == null) {
      return router.getWeights(target);
    }
    return watch.get(new ResourceID(target.apex(), target.namespace())).flatMap(r -> router.weightsOf(r, target));
  }

  /** Writes the weights and puts the written object in the watch's cache, so that the next read sees it at once. */
  void write(TrafficRouter router, RouteTarget target, Weights weights) {
    HasMetadata written = router.setWeights(target, weights);
    InformerEventSource<HasMetadata, Rollout> watch = watches.get(router.routeType());
    if (watch != null && written != null) {
      ResourceID id = ResourceID.fromResource(written);
      ownWrites.put(id, written.getMetadata().getResourceVersion());
      watch.get(id).ifPresentOrElse(previous -> watch.handleRecentResourceUpdate(id, written, previous),
          () -> watch.handleRecentResourceCreate(id, written));
    }
  }

  /** The Rollout is gone: its route is no longer this controller's. */
  void forget(RouteTarget target) {
    ownWrites.remove(new ResourceID(target.apex(), target.namespace()));
  }

  private boolean isOwnWrite(HasMetadata route) {
    return route.getMetadata().getResourceVersion().equals(ownWrites.get(ResourceID.fromResource(route)));
  }
}
