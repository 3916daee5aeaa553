package dev.plonk.mesh.router;

import java.util.Optional;

/**
 * Splits traffic for one apex Service between its primary and canary backends. One implementation per routing API;
 * the controller gets one from {@link TrafficRouterFactory} and never branches on the provider.
 */
public interface TrafficRouter {
  /** Creates the routing object if it is absent, at 100/0; an existing object keeps its weights. */
  void reconcile(RouteTarget target);

  /** Writes the weights (server-side apply; creates the object if needed). */
  void setWeights(RouteTarget target, Weights weights);

  /** The weights in the routing object, or empty when it does not exist (or names other backends). */
  Optional<Weights> getWeights(RouteTarget target);

  /** Removes the routing object: traffic to the apex goes wherever the apex Service selects. */
  void finalize(RouteTarget target);
}
