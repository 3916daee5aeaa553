package dev.plonk.controller.analysis.sim;

import dev.plonk.api.v1alpha1.RolloutSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * bench/decisions, part 1: seeded rollouts simulated on the pure state machine, fixed thresholds and comparison with
 * the primary in the same run, with the same steps and the same random traffic per trial (same seed).
 */
@Command(name = "decision-bench", mixinStandardHelpOptions = true,
    description = "Simulates rollouts on the analysis code and prints decision quality per mode and setting.")
public final class DecisionBench implements Callable<Integer> {
  @Option(names = "--trials", defaultValue = "${env:BENCH_TRIALS:-1000}", description = "trials per setting (default ${DEFAULT-VALUE})")
  int trials;

  @Option(names = "--seed", defaultValue = "${env:BENCH_SEED:-13}", description = "seed of the first trial (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--rps", defaultValue = "50", description = "requests per second, both versions (default ${DEFAULT-VALUE})")
  double rps;

  @Option(names = "--tolerance", defaultValue = "${env:BENCH_TOLERANCE:-0.5}", split = ",",
      description = "comparison error-rate tolerances in percentage points, comma-separated (default ${DEFAULT-VALUE})")
  List<Double> tolerances;

  @Option(names = "--confidence", defaultValue = "99", description = "comparison confidence in percent (default ${DEFAULT-VALUE})")
  double confidence;

  @Option(names = "--horizon", defaultValue = "600", description = "simulated seconds per trial at most (default ${DEFAULT-VALUE})")
  long horizon;

  @Option(names = "--out", defaultValue = "target/bench/decisions", description = "results folder (default ${DEFAULT-VALUE})")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DecisionBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Map<String, RolloutSpec> modes = new LinkedHashMap<>();
    modes.put("fixed (success >= 99%, p99 <= 500 ms, threshold 5)", Modes.fixed("10s", 10, 50));
    for (double t : tolerances) {
      modes.put("comparison (+" + t + "pp errors, +20% p99, " + (int) confidence + "%)",
          Modes.comparison("10s", 10, 50, t, confidence));
    }
    for (double t : tolerances) {
      modes.put("mixed (comparison +" + t + "pp errors at " + (int) confidence + "%, fixed p99 <= 500 ms)",
          Modes.mixed("10s", 10, 50, t, confidence));
    }
    List<Setting> settings = List.of(
        new Setting("healthy: canary 0.5%, primary 0.5%", rps, 0.005, 0.005, 20, 20, 0.5),
        new Setting("canary 1.5%, primary 0.5%", rps, 0.005, 0.015, 20, 20, 0.5),
        new Setting("canary 5%, primary 0.5%", rps, 0.005, 0.05, 20, 20, 0.5),
        new Setting("canary 10%, primary 0.5%", rps, 0.005, 0.10, 20, 20, 0.5),
        new Setting("both at 5% (failing dependency)", rps, 0.05, 0.05, 20, 20, 0.5));
    List<Row> rows = new ArrayList<>();
    long started = System.nanoTime();
    for (Setting setting : settings) {
      for (Map.Entry<String, RolloutSpec> mode : modes.entrySet()) {
        List<Trial.Result> results = new ArrayList<>(trials);
        for (int i = 0; i < trials; i++) {
          results.add(Trial.run(mode.getValue(), setting, seed + i, horizon));
        }
        rows.add(Row.of(setting, mode.getKey(), results));
      }
    }
    String table = Row.table(rows, trials, seed, rps, (System.nanoTime() - started) / 1e9);
    System.out.println(table);
    Files.createDirectories(out);
    Files.writeString(out.resolve("simulation.md"), table);
    return 0;
  }
}
