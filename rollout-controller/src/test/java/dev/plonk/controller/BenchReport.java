package dev.plonk.controller;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the controller's /metrics and its heap (jcmd) and formats the benchmark table. */
final class BenchReport {
  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:]+)(\\{[^}]*})? ([-+0-9.eE]+|NaN)$");
  private final int port;
  private final long pid;
  private final HttpClient http = HttpClient.newHttpClient();

  BenchReport(int port, long pid) {
    this.port = port;
    this.pid = pid;
  }

  record Sample(Map<String, Double> series) {
    double get(String key) {
      return series.getOrDefault(key, 0.0);
    }

    double sum(String prefix) {
      return series.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
    }
  }

  Sample sample() throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> series = new TreeMap<>();
    for (String line : body.split("\n")) {
      Matcher m = LINE.matcher(line.trim());
      if (m.matches() && (m.group(1).startsWith("plonk_rollout_controller_") || m.group(1).startsWith("plonk_rollout_tick"))) {
        series.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
      }
    }
    return new Sample(series);
  }

  /** Heap used after a full GC, in MiB, from {@code jcmd <pid> GC.run} then {@code GC.heap_info}. */
  double heapAfterGcMiB() throws Exception {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
  }

  private String jcmd(String command) throws Exception {
    Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  String table(int rollouts, String interval, int seconds, double bootstrapSeconds, Sample before, Sample after,
      long progressing) throws Exception {
    double requests = after.sum("plonk_rollout_controller_apiserver_requests_total")
        - before.sum("plonk_rollout_controller_apiserver_requests_total");
    double steps = after.get("plonk_rollout_tick_to_weight_seconds_count") - before.get("plonk_rollout_tick_to_weight_seconds_count");
    double latencySum = after.get("plonk_rollout_tick_to_weight_seconds_sum") - before.get("plonk_rollout_tick_to_weight_seconds_sum");
    String p50 = quantile(before, after, steps, 0.50);
    String p99 = quantile(before, after, steps, 0.99);
    double heap = heapAfterGcMiB();
    return String.join("\n",
        "| metric | value | goal |",
        "|---|---|---|",
        row("Rollouts on one controller", Integer.toString(rollouts), ""),
        row("analysis interval / measured window", interval + " / " + seconds + " s", ""),
        row("bootstrap to Initialized (all)", fmt(bootstrapSeconds) + " s", ""),
        row("Rollouts past weight 0 at the end", Long.toString(progressing), ""),
        row("weight steps in the window", fmt(steps), ""),
        row("heap used after full GC", fmt(heap) + " MiB", "<= 256 MiB"),
        row("tick-to-weight mean", steps == 0 ? "n/a" : fmt(latencySum / steps * 1000) + " ms", ""),
        row("tick-to-weight p50 (bucket bound)", p50, ""),
        row("tick-to-weight p99 (bucket bound)", p99, "<= 1 s"),
        row("apiserver requests in the window", fmt(requests), ""),
        row("apiserver requests per weight step", steps == 0 ? "n/a" : fmt(requests / steps), ""),
        "");
  }

  private static String quantile(Sample before, Sample after, double total, double q) {
    if (total == 0) {
      return "n/a";
    }
    String[] bounds = {"0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf"};
    for (String le : bounds) {
      String key = "plonk_rollout_tick_to_weight_seconds_bucket{le=\"" + le + "\"}";
      if (after.get(key) - before.get(key) >= q * total) {
        return "<= " + le + " s";
      }
    }
    return "> 10 s";
  }

  private static String row(String metric, String value, String goal) {
    return "| " + metric + " | " + value + " | " + goal + " |";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
