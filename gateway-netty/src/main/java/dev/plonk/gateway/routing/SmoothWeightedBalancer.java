package dev.plonk.gateway.routing;

import dev.plonk.mesh.router.Split;
import java.util.List;

/**
 * Smooth weighted round-robin (as in nginx): over any window of {@code sum(weights)} picks, each backend is
 * chosen exactly its weight's number of times, interleaved rather than in bursts. Thread-safe; one instance per
 * split version, so a weight change starts a fresh sequence.
 */
public final class SmoothWeightedBalancer {
  private final List<Split.Backend> backends;
  private final int[] current;

  public SmoothWeightedBalancer(List<Split.Backend> backends) {
    this.backends = List.copyOf(backends);
    this.current = new int[this.backends.size()];
  }

  public List<Split.Backend> backends() {
    return backends;
  }

  /**
   * The next backend among those {@code eligible} accepts (e.g. those with a ready endpoint), or null if none with
   * a positive weight is eligible.
   */
  public synchronized Split.Backend next(java.util.function.Predicate<Split.Backend> eligible) {
    int best = -1;
    int eligibleTotal = 0;
    for (int i = 0; i < backends.size(); i++) {
      Split.Backend backend = backends.get(i);
      if (backend.weight() <= 0 || !eligible.test(backend)) {
        continue;
      }
      current[i] += backend.weight();
      eligibleTotal += backend.weight();
      if (best < 0 || current[i] > current[best]) {
        best = i;
      }
    }
    if (best < 0) {
      return null;
    }
    current[best] -= eligibleTotal;
    return backends.get(best);
  }
}
