package dev.plonk.cli;

import dev.plonk.api.v1alpha1.AnalysisResult;
import dev.plonk.api.v1alpha1.AnalysisSpec;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Renders one Rollout, its checks, conditions and latest Events as text for a terminal (pure: no I/O). */
final class RolloutView {
  static final int EVENTS_SHOWN = 8;

  private RolloutView() {}

  static String render(Rollout rollout, List<Event> events, Instant now) {
    RolloutSpec spec = rollout.getSpec();
    RolloutStatus status = rollout.getStatus() != null ? rollout.getStatus() : new RolloutStatus();
    AnalysisSpec analysis = spec.analysis != null ? spec.analysis : new AnalysisSpec();
    String apex = spec.apexName();
    StringBuilder out = new StringBuilder();
    field(out, "Name", rollout.getMetadata().getName());
    field(out, "Namespace", rollout.getMetadata().getNamespace());
    field(out, "Target", spec.targetRef.kind + "/" + spec.targetRef.name
        + "   backends: " + apex + "-primary, " + apex + "-canary");
    field(out, "Strategy", enumName(spec.strategyOrDefault()) + "   provider: " + orDash(enumName(spec.provider))
        + "   observer: " + orDash(enumName(analysis.metricsObserver)));
    field(out, "Status", symbol(status.phase) + " " + (status.phase == null ? "Pending (not reconciled yet)" : status.phase)
        + (spec.pausedOrFalse() ? "   ॥ paused (kubectl plonk resume)" : "")
        + (spec.skipAnalysisOrFalse() ? "   analysis skipped" : ""));
    field(out, "Traffic", "primary " + (100 - weight(status)) + "%   canary " + weight(status) + "%   steps "
        + analysis.weights() + (analysis.iterations != null ? "   iterations " + analysis.iterations : ""));
    field(out, "Revisions", "analysed " + shortHash(status.lastAppliedSpec) + "   promoted " + shortHash(status.lastPromotedSpec));
    field(out, "Analysis", "every " + orDash(analysis.interval) + ", failed checks " + nz(status.failedChecks) + " of "
        + orDash(analysis.threshold == null ? null : analysis.threshold.toString())
        + (status.lastAnalysisTime != null ? ", last " + ago(Instant.parse(status.lastAnalysisTime), now) + " ago" : ""));
    if (analysis.load != null) {
      var load = analysis.load;
      field(out, "Load", load.rateOrDefault() + "/s " + load.methodOrDefault() + " " + load.pathOrDefault()
          + " to the canary while it is analysed (concurrency " + load.concurrencyOrDefault() + ")");
    }
    if (status.message != null) {
      field(out, "Message", status.message);
    }
    out.append('\n');
    table(out, List.of("CHECK", "VALUE", "THRESHOLD", "RESULT"), status.lastAnalysis.stream().map(RolloutView::check).toList(),
        "no checks have run yet");
    out.append('\n');
    table(out, List.of("CONDITION", "STATUS", "REASON", "MESSAGE"),
        status.conditions.stream().map(c -> List.of(c.getType(), c.getStatus(), orDash(c.getReason()), orDash(c.getMessage())))
            .toList(), "no conditions yet");
    out.append('\n');
    List<Event> latest = events.stream().sorted(Comparator.comparing(RolloutView::time)).toList();
    latest = latest.subList(Math.max(0, latest.size() - EVENTS_SHOWN), latest.size());
    table(out, List.of("AGE", "TYPE", "REASON", "DECISION"), latest.stream().map(e -> List.of(
        ago(time(e), now), orDash(e.getType()), orDash(e.getReason()), orDash(e.getMessage()))).toList(), "no events");
    return out.toString();
  }

  private static List<String> check(AnalysisResult r) {
    String value = r.value == null ? "no data" : format(r.value);
    String result = Boolean.TRUE.equals(r.passed) ? "✔ pass" : "✖ fail";
    String threshold = orDash(r.thresholdRange);
    if (r.comparison != null) {
      result = switch (String.valueOf(r.comparison.verdict)) {
        case "NoWorse" -> "✔ no worse";
        case "Worse" -> "✖ worse";
        default -> "… inconclusive";
      };
      threshold = "vs primary +" + format(r.comparison.boundary);
    }
    return List.of(orDash(r.metric), value, threshold, r.message == null ? result : result + "  " + r.message);
  }

  static String symbol(Phase phase) {
    if (phase == null) {
      return "◌";
    }
    return switch (phase) {
      case Succeeded, Initialized -> "✔";
      case Failed -> "✖";
      case Waiting, WaitingPromotion -> "॥";
      default -> "◐";
    };
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append(String.format("%-11s %s%n", name + ":", value));
  }

  /** Left-aligned columns sized to their widest cell; the last column is not padded. */
  static void table(StringBuilder out, List<String> header, List<List<String>> rows, String empty) {
    if (rows.isEmpty()) {
      out.append(header.get(0)).append("  (").append(empty).append(")\n");
      return;
    }
    int[] widths = new int[header.size()];
    Stream.concat(Stream.of(header), rows.stream()).forEach(row -> {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    });
    Stream.concat(Stream.of(header), rows.stream()).forEach(row -> {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    });
  }

  static String ago(Instant then, Instant now) {
    if (then == null) {
      return "-";
    }
    long s = Math.max(0, Duration.between(then, now).toSeconds());
    return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
  }

  static Instant time(Event e) {
    String t = Stream.of(e.getLastTimestamp(), e.getEventTime() == null ? null : e.getEventTime().getTime(),
        e.getFirstTimestamp(), e.getMetadata().getCreationTimestamp()).filter(Objects::nonNull).findFirst().orElse(null);
    return t == null ? Instant.EPOCH : Instant.parse(t);
  }

  static String enumName(Enum<?> value) {
    return value == null ? null : Serialization.asJson(value).replace("\"", "");
  }

  private static int weight(RolloutStatus s) {
    return s.canaryWeight == null ? 0 : s.canaryWeight;
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : String.format("%.3f", v).replaceAll("0+$", "");
  }

  private static String shortHash(String hash) {
    return hash == null ? "-" : hash.length() > 10 ? hash.substring(0, 10) : hash;
  }

  private static String nz(Integer i) {
    return i == null ? "0" : i.toString();
  }

  private static String orDash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }

  /** One line per Rollout for {@code list}. */
  static List<String> row(Rollout r, Instant now) {
    RolloutStatus s = r.getStatus() != null ? r.getStatus() : new RolloutStatus();
    return List.of(r.getMetadata().getNamespace(), r.getMetadata().getName(),
        symbol(s.phase) + " " + (s.phase == null ? "Pending" : s.phase.name()) + (r.getSpec().pausedOrFalse() ? " (paused)" : ""),
        weight(s) + "%", nz(s.failedChecks), enumName(r.getSpec().strategyOrDefault()),
        ago(r.getMetadata().getCreationTimestamp() == null ? null : Instant.parse(r.getMetadata().getCreationTimestamp()), now));
  }
}
