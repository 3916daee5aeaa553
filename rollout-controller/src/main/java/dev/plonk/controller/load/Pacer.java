package dev.plonk.controller.load;

/**
 * How many requests are due at each tick for a steady {@code rate} per second: the total since the start never exceeds
 * {@code rate * elapsed}, and a late tick (a stalled thread) never sends more than one second's worth at once: what
 * was missed beyond that is dropped, not caught up in a burst. Pure; one instance per generator, one thread at a time.
 */
public final class Pacer {
  private final int rate;
  private final long startNanos;
  private long accounted;

  public Pacer(int rate, long startNanos) {
    if (rate < 1) {
      throw new IllegalArgumentException("rate must be at least 1 per second, got " + rate);
    }
    this.rate = rate;
    this.startNanos = startNanos;
  }

  /** The number of requests to send now; call it with a monotonic clock ({@link System#nanoTime()}). */
  public int due(long nowNanos) {
    long elapsed = Math.max(0, nowNanos - startNanos);
    long total = elapsed / 1_000_000_000L * rate + (elapsed % 1_000_000_000L) * rate / 1_000_000_000L;
    long due = total - accounted;
    if (due > rate) {
      accounted += due - rate;
      due = rate;
    }
    accounted += due;
    return (int) due;
  }
}
