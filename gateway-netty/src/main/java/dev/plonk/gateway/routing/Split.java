package dev.plonk.gateway.routing;

import java.util.List;

/**
 * A weighted split of an apex Service's traffic over backend Services, read from a TrafficSplit or an HTTPRoute.
 *
 * @param source   where it came from, e.g. {@code TrafficSplit} or {@code HTTPRoute}
 * @param backends backend Services and weights
 */
public record Split(String source, List<Backend> backends) {
  public Split {
    backends = List.copyOf(backends);
  }

  /** One backend Service and its (non-negative) weight. */
  public record Backend(String service, int weight, Integer port) {}
}
