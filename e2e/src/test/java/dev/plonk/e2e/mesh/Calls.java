package dev.plonk.e2e.mesh;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded batch of calls to one URL (a fixed count, a few client threads, each call with a timeout), counted by
 * function version ({@code X-Function-Version}) and status code, with the caller identities the function reported
 * ({@code X-Caller-Identity}: the {@code l5d-client-id} its proxy gave it).
 */
record Calls(Map<String, Long> counts, Map<String, Long> callerIdentities) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Sends {@code count} POSTs with {@code threads} clients; returns when all have answered or failed. */
  static Calls send(String url, int count, int threads) throws InterruptedException {
    Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    Map<String, LongAdder> identities = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> clients = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        clients.add(pool.submit(() -> {
          while (next.getAndIncrement() < count) {
            String key;
            try {
              HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("ping")).build(),
                  HttpResponse.BodyHandlers.ofString());
              key = response.headers().firstValue("X-Function-Version").orElse("-") + " " + response.statusCode();
              identities.computeIfAbsent(response.headers().firstValue("X-Caller-Identity").orElse("(none)"),
                  k -> new LongAdder()).increment();
            } catch (Exception e) {
              key = "error " + e.getClass().getSimpleName();
            }
            counts.computeIfAbsent(key, k -> new LongAdder()).increment();
          }
        }));
      }
      for (Future<?> client : clients) {
        client.get(10, TimeUnit.MINUTES);
      }
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("calls to " + url + " did not complete: " + e, e);
    } finally {
      pool.shutdownNow();
    }
    return new Calls(snapshot(counts), snapshot(identities));
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> adders) {
    Map<String, Long> out = new TreeMap<>();
    adders.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  long count(String key) {
    return counts.getOrDefault(key, 0L);
  }

  long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
