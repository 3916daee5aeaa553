package dev.plonk.controller;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
  private final boolean jvm;
  private final HttpClient http = HttpClient.newHttpClient();

  /** @param jvm whether the controller is a JVM (jcmd's attach signal, SIGQUIT, would end a Go process) */
  BenchReport(int port, long pid, boolean jvm) {
    this.port = port;
    this.pid = pid;
    this.jvm = jvm;
  }

  record Sample(Map<String, Double> series) {
    double get(String key) {
      return series.getOrDefault(key, 0.0);
    }

    double sum(String prefix) {
      return series.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
    }
  }

  /** Waits until the controller serves its /metrics (it has just been started). */
  void awaitUp(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        sample();
        return;
      } catch (java.io.IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the controller did not serve /metrics on port " + port + " within "
              + timeout + "; see its log", e);
        }
        Thread.sleep(200);
      }
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
    if (!jvm) {
      return Double.NaN;
    }
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    // G1 prints one "garbage-first heap ... used NK" line, SerialGC a "def new generation" and a "tenured generation"
    Matcher m = Pattern.compile("(?:generation|heap) +total \\d+K, used (\\d+)K").matcher(info);
    long usedKiB = 0;
    boolean found = false;
    while (m.find()) {
      usedKiB += Long.parseLong(m.group(1));
      found = true;
    }
    return found ? usedKiB / 1024.0 : Double.NaN;
  }

  /** The controller process now: RSS and its peak (VmRSS, VmHWM) in MiB, CPU seconds (user + system), threads. */
  record Figures(double rssMiB, double peakMiB, double cpuSeconds, long threads) {
    @Override
    public String toString() {
      return "RSS " + fmt(rssMiB) + " MiB (peak " + fmt(peakMiB) + " MiB), CPU " + fmt(cpuSeconds) + " s, " + threads
          + " threads";
    }
  }

  Figures process() throws Exception {
    String status = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "status"));
    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new Figures(kib(status, "VmRSS") / 1024.0, kib(status, "VmHWM") / 1024.0,
        (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0, kib(status, "Threads"));
  }

  private static long kib(String status, String field) {
    Matcher m = Pattern.compile("^" + field + ":\\s+(\\d+)", Pattern.MULTILINE).matcher(status);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private String jcmd(String command) throws Exception {
    Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /** A measured interval between two samples. */
  record Window(String name, Sample from, Sample to) {
    double delta(String key) {
      return to.get(key) - from.get(key);
    }
  }

  String table(int rollouts, String settings, double bootstrapSeconds, List<Window> windows) throws Exception {
    StringBuilder t = new StringBuilder();
    String resident = process().toString(); // before the full GC below
    t.append("Rollouts: ").append(rollouts).append("; ").append(settings).append("; bootstrap to Initialized (all): ")
        .append(fmt(bootstrapSeconds)).append(" s; heap used after full GC at the end: ").append(fmt(heapAfterGcMiB()))
        .append(" MiB (goal <= 256 MiB); controller process: ").append(resident).append("\n\n");
    t.append("| window | weight steps | tick-to-weight mean | p50 | p99 (goal <= 1 s) | apiserver requests | per step |\n");
    t.append("|---|---|---|---|---|---|---|\n");
    for (Window w : windows) {
      double requests = w.to.sum("plonk_rollout_controller_apiserver_requests_total")
          - w.from.sum("plonk_rollout_controller_apiserver_requests_total");
      double steps = w.delta("plonk_rollout_tick_to_weight_seconds_count");
      double latency = w.delta("plonk_rollout_tick_to_weight_seconds_sum");
      t.append("| ").append(w.name).append(" | ").append(fmt(steps)).append(" | ")
          .append(steps == 0 ? "n/a" : fmt(latency / steps * 1000) + " ms").append(" | ")
          .append(quantile(w.from, w.to, steps, 0.5)).append(" | ").append(quantile(w.from, w.to, steps, 0.99)).append(" | ")
          .append(fmt(requests)).append(" | ").append(steps == 0 ? "n/a" : fmt(requests / steps)).append(" |\n");
    }
    Window last = windows.get(windows.size() - 1);
    double steps = last.delta("plonk_rollout_tick_to_weight_seconds_count");
    t.append("\nController requests per step in the ").append(last.name).append(" window, by method:");
    for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
      String key = "plonk_rollout_controller_apiserver_requests_total{method=\"" + method + "\"";
      t.append(' ').append(method).append(' ').append(steps == 0 ? "n/a" : fmt((last.to.sum(key) - last.from.sum(key)) / steps));
    }
    return t.append('\n').toString();
  }

  /** The controller's apiserver requests per Rollout over a window, in all and by method. */
  static String perRollout(Sample from, Sample to, int rollouts) {
    StringBuilder t = new StringBuilder("controller requests per Rollout");
    String prefix = "plonk_rollout_controller_apiserver_requests_total";
    t.append(' ').append(fmt((to.sum(prefix) - from.sum(prefix)) / rollouts)).append(" (");
    for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
      String key = prefix + "{method=\"" + method + "\"";
      t.append(method).append(' ').append(fmt((to.sum(key) - from.sum(key)) / rollouts)).append(method.equals("DELETE") ? ")" : ", ");
    }
    return t.toString();
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

  static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
  }
}
