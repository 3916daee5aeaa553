package dev.plonk.gateway.routing;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The ready endpoints of one Service, handed out round-robin. Immutable list; replaced whole on change. */
public final class Endpoints {
  static final Endpoints NONE = new Endpoints(List.of());

  private final List<InetSocketAddress> ready;
  private final AtomicInteger next = new AtomicInteger();

  public Endpoints(List<InetSocketAddress> ready) {
    this.ready = List.copyOf(ready);
  }

  public boolean isEmpty() {
    return ready.isEmpty();
  }

  public int size() {
    return ready.size();
  }

  public InetSocketAddress next() {
    return ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
  }
}
