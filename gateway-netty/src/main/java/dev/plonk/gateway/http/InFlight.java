package dev.plonk.gateway.http;

import java.util.concurrent.atomic.AtomicInteger;

/** Requests received and not yet answered, so a shutdown can drain them. */
public final class InFlight {
  private final AtomicInteger count = new AtomicInteger();

  public void increment() {
    count.incrementAndGet();
  }

  public void decrement() {
    count.decrementAndGet();
  }

  public int get() {
    return count.get();
  }
}
