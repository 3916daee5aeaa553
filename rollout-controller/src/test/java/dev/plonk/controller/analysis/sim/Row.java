package dev.plonk.controller.analysis.sim;

import dev.plonk.api.v1alpha1.Phase;
import java.util.List;
import java.util.Locale;

/** One line of the table: how often and how fast one mode decided in one setting. */
record Row(String setting, String mode, int trials, int rolledBack, int rolledBackWithin10s, int promoted,
    String rollbackP50, String rollbackP95, String promotionP50, String promotionP95) {

  static Row of(Setting setting, String mode, List<Trial.Result> results) {
    List<Long> rollback = results.stream().filter(r -> r.end() == Phase.Failed).map(Trial.Result::secondsFromFirstTraffic)
        .sorted().toList();
    List<Long> promotion = results.stream().filter(r -> r.end() == Phase.Promoting).map(Trial.Result::seconds)
        .sorted().toList();
    int within10 = (int) rollback.stream().filter(s -> s <= 10).count();
    return new Row(setting.name(), mode, results.size(), rollback.size(), within10, promotion.size(),
        quantile(rollback, 0.5), quantile(rollback, 0.95), quantile(promotion, 0.5), quantile(promotion, 0.95));
  }

  static String quantile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return "-";
    }
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, i)) + " s";
  }

  static String percent(int part, int whole) {
    return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  static String table(List<Row> rows, int trials, long seed, double rps, double seconds) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Simulation: %d trials per row, seeds %d..%d (the same traffic draws for every "
        + "mode), %.0f rps, stepWeight 10, maxWeight 50, interval 10s; %.1f s wall-clock.%n%n", trials, seed, seed + trials - 1,
        rps, seconds));
    out.append("| setting | mode | rolled back | within 10 s of first traffic | rollback p50 / p95 (from first traffic) "
        + "| promoted | promotion p50 / p95 (from analysis start) |\n|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      out.append("| ").append(r.setting).append(" | ").append(r.mode).append(" | ")
          .append(percent(r.rolledBack, r.trials)).append(" | ").append(percent(r.rolledBackWithin10s, r.trials))
          .append(" | ").append(r.rollbackP50).append(" / ").append(r.rollbackP95).append(" | ")
          .append(percent(r.promoted, r.trials)).append(" | ").append(r.promotionP50).append(" / ")
          .append(r.promotionP95).append(" |\n");
    }
    return out.toString();
  }
}
