package dev.plonk.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The worker's concurrency: at most {@code maxInflight} calls at once (the size of the worker thread pool), and
 * optionally at most {@code perFunction} calls of one function at once (a permit the worker thread takes before
 * the call). Fetching is gated by "held" slots, twice {@code maxInflight}: a message is fetched only when a slot is
 * free, and up to {@code maxInflight} fetched messages wait for a thread, so a thread that finishes a call never
 * waits for a fetch round trip.
 */
public final class ConcurrencyLimits {
  private final Semaphore global;
  private final int maxInflight;
  private final int perFunction;
  private final Map<String, Semaphore> functions = new ConcurrentHashMap<>();

  /** @param perFunction 0 for no per-function limit */
  public ConcurrencyLimits(int maxInflight, int perFunction) {
    if (maxInflight < 1) {
      throw new IllegalArgumentException("--max-inflight must be at least 1, got " + maxInflight);
    }
    if (perFunction < 0) {
      throw new IllegalArgumentException("--max-inflight-per-function must be 0 (no limit) or more, got " + perFunction);
    }
    this.global = new Semaphore(2 * maxInflight);
    this.maxInflight = maxInflight;
    this.perFunction = perFunction;
  }

  /** Waits up to {@code waitMillis} for one free slot, then takes every other free slot; returns how many. */
  public int acquireFree(long waitMillis) throws InterruptedException {
    if (!global.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
      return 0;
    }
    return 1 + global.drainPermits();
  }

  public void release(int slots) {
    if (slots > 0) {
      global.release(slots);
    }
  }

  /** Waits until {@code function} may run one more call; pair with {@link #releaseFunction}. */
  public void acquireFunction(String function) throws InterruptedException {
    if (perFunction > 0) {
      functions.computeIfAbsent(function, f -> new Semaphore(perFunction)).acquire();
    }
  }

  public void releaseFunction(String function) {
    if (perFunction > 0) {
      functions.get(function).release();
    }
  }

  public int maxInflight() {
    return maxInflight;
  }
}
