package dev.plonk.queue.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark tool (bench/queue), not a test: (c) the drain rate of a running worker. Polls the worker's
 * {@code /metrics} every 100 ms; the first {@code warmup} calls warm the JIT up and are not timed; then it times
 * from the first sight of at least {@code warmup} processed calls to {@code warmup + count}:
 * {@code drain_per_s = (processed at the end - processed at the start) / elapsed}. Bounded by {@code timeout-s}.
 * Optional {@code name=pid} arguments: the CPU time each process used in the timed window, per call
 * ({@code cpu_us_per_call_<name>}), read from {@code /proc/<pid>/stat} (user + system, 100 Hz ticks).
 * Usage: {@code <metrics-url> <function name.namespace> <warmup> <count> <timeout-s> [name=pid ...]}.
 */
public final class DrainBench {
  public static void main(String[] args) throws Exception {
    String url = args[0] + "/metrics";
    Pattern sample = Pattern.compile("^plonk_queue_messages_processed_total\\{function=\"" + Pattern.quote(args[1])
        + "\",outcome=\"success\"} (\\S+)$", Pattern.MULTILINE);
    long warmup = Long.parseLong(args[2]);
    long total = warmup + Long.parseLong(args[3]);
    long deadline = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000_000L;
    HttpClient http = HttpClient.newHttpClient();
    long startCount = -1;
    long startNanos = 0;
    long processed = 0;
    long[] startTicks = null;
    while (System.nanoTime() < deadline) {
      String text = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
      Matcher matcher = sample.matcher(text);
      processed = matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
      if (processed >= warmup && startCount < 0) {
        startCount = processed;
        startNanos = System.nanoTime();
        startTicks = ticks(args);
      }
      if (processed >= total) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("drained=%d%ndrain_per_s=%.0f%n", processed - startCount,
            (processed - startCount) / seconds);
        long[] endTicks = ticks(args);
        for (int i = 5; i < args.length; i++) {
          System.out.printf("cpu_us_per_call_%s=%.0f%n", args[i].split("=")[0],
              (endTicks[i] - startTicks[i]) * 10_000.0 / (processed - startCount));
        }
        return;
      }
      Thread.sleep(100);
    }
    System.out.printf("drained=%d%ndrain_per_s=timeout%n", processed);
    System.exit(1);
  }

  /** utime + stime of each {@code name=pid} argument (index-aligned with args; 0 where unreadable). */
  private static long[] ticks(String[] args) {
    long[] ticks = new long[args.length];
    for (int i = 5; i < args.length; i++) {
      try {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", args[i].split("=")[1], "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks[i] = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      } catch (java.io.IOException | RuntimeException e) {
        ticks[i] = 0;
      }
    }
    return ticks;
  }
}
