package dev.plonk.main;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written the Go way, as OpenFaaS annotations and flags write them: {@code 500ms}, {@code 1s},
 * {@code 1m30s}, {@code 2h}. A bare number is read as seconds.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private GoDuration() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration; expected e.g. 500ms, 1s, 1m30s or 2h");
    }
    String value = text.trim();
    if (value.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
    Matcher matcher = PART.matcher(value);
    int end = 0;
    double nanos = 0;
    while (matcher.find() && matcher.start() == end) {
      double amount = Double.parseDouble(matcher.group(1));
      nanos += amount * switch (matcher.group(2)) {
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      end = matcher.end();
    }
    if (end == 0 || end != value.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; expected e.g. 500ms, 1s, 1m30s or 2h");
    }
    return Duration.ofNanos((long) nanos);
  }

  /** Picocli converter, so flags take the same syntax. */
  public static final class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parse(value);
    }
  }
}
