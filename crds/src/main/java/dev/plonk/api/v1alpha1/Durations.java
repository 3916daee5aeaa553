package dev.plonk.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;

/** Go-style durations as Kubernetes and Prometheus write them: {@code 500ms}, {@code 30s}, {@code 1m30s}, {@code 2h}. */
public final class Durations {
  /** The schema pattern; CEL's {@code duration()} accepts the same forms. */
  public static final String PATTERN = "^([0-9]+(ms|s|m|h))+$";
  private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)");

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null || !text.matches(PATTERN)) {
      throw new IllegalArgumentException("bad duration '" + text + "': expected e.g. 500ms, 30s, 1m30s or 2h");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
    }
    return total;
  }

  /** The PromQL range form: whole seconds when possible, else milliseconds. */
  public static String promql(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
