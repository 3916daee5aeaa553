package dev.plonk.controller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went in a benchmark window: the whole machine's busy share ({@code /proc/stat}) and the CPU
 * of each process of the stack, by name, from {@code /proc/<pid>/stat} (utime + stime, in clock ticks of 1/100 s).
 */
final class MachineCpu {
  private MachineCpu() {}

  /** Clock ticks per process label, plus {@code "busy"} and {@code "all"} for the machine. */
  record Sample(Map<String, Long> ticks) {
    long get(String key) {
      return ticks.getOrDefault(key, 0L);
    }
  }

  /** @param labelled the processes to report: a label per pid (the controller, this benchmark) */
  static Sample sample(Map<String, Long> labelled) {
    Map<String, Long> ticks = new LinkedHashMap<>();
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long all = 0;
      for (int i = 1; i < cpu.length; i++) {
        all += Long.parseLong(cpu[i]);
      }
      ticks.put("all", all);
      ticks.put("busy", all - Long.parseLong(cpu[4]) - Long.parseLong(cpu[5])); // minus idle and iowait
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
          long pid = Long.parseLong(p.getFileName().toString());
          String label = labelled.entrySet().stream().filter(e -> e.getValue() == pid).map(Map.Entry::getKey)
              .findFirst().orElse(null);
          try {
            String stat = Files.readString(p.resolve("stat"));
            String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            if (label == null && (comm.equals("kube-apiserver") || comm.equals("etcd") || comm.equals("prometheus"))) {
              label = comm;
            }
            if (label != null) {
              String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
              ticks.merge(label, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            }
          } catch (IOException | RuntimeException gone) {
            // the process ended between the listing and the read
          }
        });
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new Sample(ticks);
  }

  /** The cores {@code label} used over the window. */
  static double cores(Sample from, Sample to, String label, double seconds) {
    return (to.get(label) - from.get(label)) / 100.0 / seconds;
  }

  /** "machine busy 97% of 2 cores; kube-apiserver 0.81 cores, etcd 0.32, ..." over the window. */
  static String describe(Sample from, Sample to, double seconds) {
    int cores = Runtime.getRuntime().availableProcessors();
    double all = to.get("all") - from.get("all");
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "machine busy %.0f%% of %d cores",
        all == 0 ? 0 : 100.0 * (to.get("busy") - from.get("busy")) / all, cores));
    for (String label : to.ticks().keySet()) {
      if (!label.equals("all") && !label.equals("busy")) {
        text.append(String.format(Locale.ROOT, "; %s %.2f cores", label, cores(from, to, label, seconds)));
      }
    }
    return text.toString();
  }
}
