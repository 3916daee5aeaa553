package dev.plonk.mesh.router;

import java.util.List;
import java.util.Optional;

/**
 * A weighted split of an apex Service's traffic over backend Services, as {@link SplitReader} reads it from a
 * TrafficSplit or an HTTPRoute.
 *
 * @param apex     the apex Service clients call
 * @param source   where it came from: {@code TrafficSplit} or {@code HTTPRoute}
 * @param backends backend Services and weights, in the object's order
 */
public record Split(String apex, String source, List<Backend> backends) {
  public Split {
    backends = List.copyOf(backends);
  }

  /** One backend Service, its (non-negative) weight and, for an HTTPRoute, its port (else null). */
  public record Backend(String service, int weight, Integer port) {}

  /** The primary and canary weights of {@code target}, or empty if either is missing or they do not sum to 100. */
  public Optional<Weights> weights(RouteTarget target) {
    Integer primary = null;
    Integer canary = null;
    for (Backend backend : backends) {
      if (target.primary().equals(backend.service())) {
        primary = backend.weight();
      } else if (target.canary().equals(backend.service())) {
        canary = backend.weight();
      }
    }
    return primary == null || canary == null || primary + canary != 100 ? Optional.empty()
        : Optional.of(new Weights(primary, canary));
  }
}
