package dev.plonk.queue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The worker's concurrency, without blocking threads:
 * <ul>
 *   <li>"held" slots, twice {@code maxInflight}, gate fetching: a message is fetched only when a slot is free, so
 *       up to {@code maxInflight} fetched messages wait ready for a call to finish, never for a fetch round trip;</li>
 *   <li>"inflight" slots, {@code maxInflight}: calls started at once;</li>
 *   <li>optionally at most {@code perFunction} calls of one function at once: a call over that limit waits (keeping
 *       its inflight slot) until a call of the same function finishes.</li>
 * </ul>
 */
public final class ConcurrencyLimits {
  private final Semaphore held;
  private final Semaphore inflight;
  private final int maxInflight;
  private final int perFunction;
  private final Map<String, FunctionGate> functions = new ConcurrentHashMap<>();

  /** @param perFunction 0 for no per-function limit */
  public ConcurrencyLimits(int maxInflight, int perFunction) {
    if (maxInflight < 1) {
      throw new IllegalArgumentException("--max-inflight must be at least 1, got " + maxInflight);
    }
    if (perFunction < 0) {
      throw new IllegalArgumentException("--max-inflight-per-function must be 0 (no limit) or more, got " + perFunction);
    }
    this.held = new Semaphore(2 * maxInflight);
    this.inflight = new Semaphore(maxInflight);
    this.maxInflight = maxInflight;
    this.perFunction = perFunction;
  }

  /**
   * Waits up to {@code waitMillis} until half of {@code maxInflight} held slots are free, then takes every free
   * one; returns how many. Fetching in batches keeps pull requests (and their cost on the server) per message low.
   */
  public int acquireHeld(long waitMillis) throws InterruptedException {
    int batch = Math.max(1, maxInflight / 2);
    if (!held.tryAcquire(batch, waitMillis, TimeUnit.MILLISECONDS)) {
      return 0;
    }
    return batch + held.drainPermits();
  }

  public void releaseHeld(int slots) {
    if (slots > 0) {
      held.release(slots);
    }
  }

  /** True when nothing is fetched and unsettled. */
  public boolean nothingHeld() {
    return held.availablePermits() == 2 * maxInflight;
  }

  public boolean tryStart() {
    return inflight.tryAcquire();
  }

  public void finished() {
    inflight.release();
  }

  /** Runs {@code call} now if {@code function} is under its limit, else parks it; returns whether it ran. */
  public boolean enter(String function, Runnable call) {
    if (perFunction == 0) {
      call.run();
      return true;
    }
    if (functions.computeIfAbsent(function, f -> new FunctionGate()).tryEnter(call)) {
      call.run();
      return true;
    }
    return false;
  }

  /** A call of {@code function} finished: the next parked call of it, to run now, or null. */
  public Runnable exit(String function) {
    return perFunction == 0 ? null : functions.get(function).exit();
  }

  public int maxInflight() {
    return maxInflight;
  }

  private final class FunctionGate {
    private int running;
    private final Deque<Runnable> parked = new ArrayDeque<>();

    synchronized boolean tryEnter(Runnable call) {
      if (running < perFunction) {
        running++;
        return true;
      }
      parked.add(call);
      return false;
    }

    synchronized Runnable exit() {
      Runnable next = parked.poll();
      if (next == null) {
        running--;
      }
      return next;
    }
  }
}
