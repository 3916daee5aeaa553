package dev.plonk.queue.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark tool (bench/queue), not a test: (c) the drain rate of a running worker. Polls the worker's
 * {@code /metrics} every 100 ms and times from the first processed call to the {@code count}-th:
 * {@code drain_per_s = (count - processed at first sight) / elapsed}. Bounded by {@code timeout-s}.
 * Usage: {@code <metrics-url> <function name.namespace> <count> <timeout-s>}.
 */
public final class DrainBench {
  public static void main(String[] args) throws Exception {
    String url = args[0] + "/metrics";
    Pattern sample = Pattern.compile("^plonk_queue_messages_processed_total\\{function=\"" + Pattern.quote(args[1])
        + "\",outcome=\"success\"} (\\S+)$", Pattern.MULTILINE);
    long count = Long.parseLong(args[2]);
    long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    HttpClient http = HttpClient.newHttpClient();
    long firstSeen = -1;
    long firstNanos = 0;
    long processed = 0;
    while (System.nanoTime() < deadline) {
      String text = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
      Matcher matcher = sample.matcher(text);
      processed = matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
      if (processed > 0 && firstSeen < 0) {
        firstSeen = processed;
        firstNanos = System.nanoTime();
      }
      if (processed >= count) {
        double seconds = (System.nanoTime() - firstNanos) / 1e9;
        System.out.printf("drained=%d%ndrain_per_s=%.0f%n", count, (count - firstSeen) / seconds);
        return;
      }
      Thread.sleep(100);
    }
    System.out.printf("drained=%d%ndrain_per_s=timeout%n", processed);
    System.exit(1);
  }
}
