package dev.plonk.devstack.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Readiness and availability as a Deployment counts them: a replica is ready while its probe passes, and available
 * once it has been ready for {@code minReadySeconds} without a break (a failed probe starts the count again).
 */
final class Availability {
  private final Map<Replica, Long> readySince = new HashMap<>();

  /** Probes {@code replicas} once each; returns the ready ones and remembers since when each has been ready. */
  List<Replica> probe(List<Replica> replicas, long now) {
    List<Replica> ready = new ArrayList<>();
    for (Replica replica : replicas) {
      if (replica.ready()) {
        readySince.putIfAbsent(replica, now);
        ready.add(replica);
      } else {
        readySince.remove(replica);
      }
    }
    return ready;
  }

  /** How many of the {@code ready} replicas have been ready for at least {@code minReadySeconds}. */
  int available(List<Replica> ready, int minReadySeconds, long now) {
    long needed = minReadySeconds * 1_000_000_000L;
    return (int) ready.stream().filter(r -> now - readySince.getOrDefault(r, now) >= needed).count();
  }

  void forget(Replica replica) {
    readySince.remove(replica);
  }
}
