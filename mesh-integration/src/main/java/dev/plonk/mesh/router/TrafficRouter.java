package dev.plonk.mesh.router;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;

/**
 * Splits traffic for one apex Service between its primary and canary backends. One implementation per routing API;
 * the controller gets one from {@link TrafficRouterFactory} and never branches on the provider.
 */
public interface TrafficRouter {
  /** Creates the routing object if it is absent, at 100/0; an existing object keeps its weights. */
  default void reconcile(RouteTarget target) {
    if (get(target).isEmpty()) {
      setWeights(target, Weights.PRIMARY_ONLY);
    }
  }

  /** Writes the weights (server-side apply; creates the object if needed) and returns the object as stored. */
  HasMetadata setWeights(RouteTarget target, Weights weights);

  /** The weights in the routing object read from the apiserver; empty when it is absent or names other backends. */
  default Optional<Weights> getWeights(RouteTarget target) {
    return get(target).flatMap(route -> weightsOf(route, target));
  }

  /** The routing object, read from the apiserver. */
  Optional<HasMetadata> get(RouteTarget target);

  /** The routing object's type (for a watch on it). */
  Class<? extends HasMetadata> routeType();

  /** The weights in a routing object of {@link #routeType()} read elsewhere (a watch's cache). */
  Optional<Weights> weightsOf(HasMetadata route, RouteTarget target);

  /** Removes the routing object: traffic to the apex goes wherever the apex Service selects. */
  void finalize(RouteTarget target);
}
