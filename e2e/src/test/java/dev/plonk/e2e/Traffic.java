package dev.plonk.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady client traffic through the gateway while a rollout runs, bounded in time and count; counts responses by
 * function version ({@code X-Function-Version}) and status code since the last {@link #reset()}.
 */
public final class Traffic implements AutoCloseable {
  private static final Duration MAX_DURATION = Duration.ofMinutes(15);
  private static final long MAX_REQUESTS = 200_000;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI uri;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Thread thread;
  private String streakKey;
  private long streak;

  public Traffic(String url) {
    this.uri = URI.create(url);
    this.thread = new Thread(this::run, "e2e-traffic");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long deadline = System.nanoTime() + MAX_DURATION.toNanos();
    for (long n = 0; n < MAX_REQUESTS && running.get() && System.nanoTime() < deadline; n++) {
      String key;
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString("ping")).build(), HttpResponse.BodyHandlers.ofString());
        key = response.headers().firstValue("X-Function-Version").orElse("-") + " " + response.statusCode();
      } catch (Exception e) {
        key = "error " + e.getClass().getSimpleName();
      }
      record(key);
      try {
        Thread.sleep(4);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Counts one response; synchronized with {@link #reset()} so a response is never counted into a cleared map. */
  private synchronized void record(String key) {
    if (key.equals(streakKey)) {
      streak++;
    } else {
      streakKey = key;
      streak = 1;
    }
    LongAdder adder = counts.computeIfAbsent(key, k -> new LongAdder());
    if (adder.sum() == 0 && !key.endsWith(" 200")) {
      System.err.println("[traffic] first '" + key + "' at " + java.time.Instant.now());
    }
    adder.increment();
  }

  /** Responses since the last reset, e.g. {@code {"v1 200": 812, "v2 500": 3}}. */
  public synchronized Map<String, Long> counts() {
    Map<String, Long> snapshot = new java.util.TreeMap<>();
    counts.forEach((k, v) -> snapshot.put(k, v.sum()));
    return snapshot;
  }

  public synchronized void reset() {
    counts.clear();
  }

  /**
   * Waits until the last {@code calls} responses in a row were all {@code key}: what the gateway routes to has settled
   * (its informers have seen the latest split; calls sent before the change have come back).
   */
  public void awaitStreak(String key, int calls, Duration timeout) {
    Rollouts.await(calls + " responses in a row '" + key + "'", timeout, () -> streakOf(key) >= calls);
  }

  private synchronized long streakOf(String key) {
    return key.equals(streakKey) ? streak : 0;
  }

  public synchronized long count(String key) {
    LongAdder adder = counts.get(key);
    return adder == null ? 0 : adder.sum();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }
}
