package dev.plonk.gateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark tool (not a test): an open-loop load generator. It sends POSTs at a constant rate whatever the answers
 * take (unlike wrk's closed loop, a slow answer does not slow the sender), and measures each latency from the moment
 * the call was due, so queueing in the client counts (no coordinated omission). Bounded by a call count and by time.
 *
 * Calls are handed at their due time to a pool of blocking keep-alive connections (64 by default); when all are busy
 * the call waits in the queue and that wait is part of its latency.
 *
 * <p>Usage: {@code <url>[,<url>...] <calls-per-second> <seconds> [body] [connections] [warm-up seconds]}. Prints
 * {@code sent=}, {@code code_<n>=} counts (0 is a transport error or a 10 s timeout), {@code p50_ms=}, {@code p99_ms=},
 * {@code max_ms=} and {@code achieved_per_s=}. Calls of the warm-up (sent at the same rate first, default none) are
 * not counted. With several URLs each gets {@code <calls-per-second>}, call by call in turn (so each is measured under
 * the same conditions as the others), and each line is printed per URL, prefixed {@code t<index>.}.
 * On SIGTERM it stops sending and prints what it has (used to count the failed calls of one rollout).
 */
public final class OpenLoopLoad {
  private final List<URL> urls;
  private final double rate;
  private final long maxCalls;
  private final byte[] body;
  private final int workers;
  private final long warmupCalls;
  private final BlockingQueue<long[]> due = new LinkedBlockingQueue<>();
  private final AtomicLongArray latencyMicros;
  private final AtomicInteger done = new AtomicInteger();
  private final List<Map<Integer, LongAdder>> codes = new ArrayList<>();
  private volatile boolean stopped;
  private long sent;
  private long startNanos;

  OpenLoopLoad(List<URL> urls, double ratePerUrl, long seconds, String body, int workers, long warmupSeconds) {
    this.urls = List.copyOf(urls);
    this.rate = ratePerUrl * urls.size();
    urls.forEach(u -> codes.add(new ConcurrentHashMap<>()));
    this.warmupCalls = Math.round(rate * warmupSeconds);
    this.maxCalls = warmupCalls + Math.round(rate * seconds);
    this.body = body.getBytes(StandardCharsets.UTF_8);
    this.workers = workers;
    this.latencyMicros = new AtomicLongArray((int) Math.min(maxCalls, 10_000_000));
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: OpenLoopLoad <url>[,<url>...] <calls-per-second> <seconds> [body] [connections] "
          + "[warm-up s]");
      System.exit(2);
    }
    List<URL> urls = new ArrayList<>();
    for (String url : args[0].split(",")) {
      urls.add(URI.create(url).toURL());
    }
    OpenLoopLoad load = new OpenLoopLoad(urls, Double.parseDouble(args[1]),
        Long.parseLong(args[2]), args.length > 3 ? args[3] : "ping", args.length > 4 ? Integer.parseInt(args[4]) : 64,
        args.length > 5 ? Long.parseLong(args[5]) : 0);
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      load.stopped = true;
      try {
        main.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    load.run();
    load.report(System.out);
    System.out.flush();
  }

  /** One dispatcher hands each call's due time to a pool of blocking keep-alive connections (one per worker). */
  void run() throws InterruptedException {
    List<Thread> pool = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, "load-" + i);
      t.setDaemon(true);
      t.start();
      pool.add(t);
    }
    startNanos = System.nanoTime();
    long intervalNanos = Math.round(1e9 / rate);
    while (!stopped && sent < maxCalls) {
      long dueAt = startNanos + sent * intervalNanos;
      long wait = dueAt - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue;
      }
      due.add(new long[] {sent, dueAt});
      sent++;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(11).toNanos();
    while (done.get() < sent && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    pool.forEach(Thread::interrupt);
  }

  private void work() {
    try {
      while (true) {
        long[] call = due.take();
        int target = (int) (call[0] % urls.size());
        int code = call(urls.get(target), call[1]);
        if (call[0] >= warmupCalls) {
          codes.get(target).computeIfAbsent(code, c -> new LongAdder()).increment();
          latencyMicros.set((int) call[0], Math.max(1, (System.nanoTime() - call[1]) / 1000));
        }
        done.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One POST; the status code, or 0 for a transport error or a timeout (10 s). Reads the body so the connection is kept. */
  private int call(URL url, long dueAt) {
    try {
      HttpURLConnection c = (HttpURLConnection) url.openConnection();
      c.setConnectTimeout(5000);
      c.setReadTimeout((int) Math.max(1, 10_000 - (System.nanoTime() - dueAt) / 1_000_000));
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int code = c.getResponseCode();
      try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      return code;
    } catch (IOException e) {
      return 0;
    }
  }

  void report(PrintStream out) {
    double seconds = (System.nanoTime() - startNanos) / 1e9 - warmupCalls / rate;
    int targets = urls.size();
    for (int t = 0; t < targets; t++) {
      String p = targets == 1 ? "" : "t" + t + ".";
      long measured = 0;
      long[] sorted = new long[(int) Math.min(sent, latencyMicros.length())];
      int n = 0;
      for (int i = t; i < sorted.length; i += targets) {
        measured += i >= warmupCalls ? 1 : 0;
        long v = latencyMicros.get(i);
        if (v > 0) {
          sorted[n++] = v;
        }
      }
      sorted = Arrays.copyOf(sorted, n);
      Arrays.sort(sorted);
      out.printf("%ssent=%d%n%sanswered=%d%n", p, measured, p, n);
      new TreeMap<>(codes.get(t)).forEach((code, count) -> out.printf("%scode_%d=%d%n", p, code, count.sum()));
      out.printf("%sachieved_per_s=%.1f%n", p, measured / Math.max(seconds, 1e-9));
      out.printf("%sp50_ms=%.3f%n%sp99_ms=%.3f%n%smax_ms=%.3f%n", p, quantile(sorted, 0.5), p, quantile(sorted, 0.99),
          p, n == 0 ? Double.NaN : sorted[n - 1] / 1000.0);
    }
  }

  private static double quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1000.0;
  }
}
