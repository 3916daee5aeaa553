package dev.plonk.queue;

import dev.plonk.main.GoDuration;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

/**
 * When and how long to wait before calling a function again. Defaults follow OpenFaaS Pro; the flags set them for
 * all functions and the annotations {@code com.openfaas.retry.attempts|codes|min_wait|max_wait} per function.
 *
 * @param attempts total attempts including the first one (at least 1)
 * @param codes    HTTP statuses that are retried; connect errors (status 0) always are
 * @param minWait  the wait before the second attempt
 * @param maxWait  the cap of the exponential wait
 */
public record RetryPolicy(int attempts, Set<Integer> codes, Duration minWait, Duration maxWait) {
  public static final String ANNOTATION_PREFIX = "com.openfaas.retry.";
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(10, Set.of(408, 429, 500, 502, 503, 504), Duration.ofSeconds(1), Duration.ofSeconds(60));

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("retry attempts must be at least 1, got " + attempts);
    }
    if (minWait.isNegative() || maxWait.compareTo(minWait) < 0) {
      throw new IllegalArgumentException("retry waits must satisfy 0 <= min_wait <= max_wait, got min " + minWait
          + " and max " + maxWait);
    }
    codes = Set.copyOf(codes);
  }

  /** Connect errors (status 0) and the configured codes. */
  public boolean isRetryable(int status) {
    return status == 0 || codes.contains(status);
  }

  /**
   * Exponential backoff with "equal jitter": the cap doubles from {@code minWait} per failed attempt up to
   * {@code maxWait}, and the wait is drawn from [cap/2, cap], never below {@code minWait}. A server's
   * {@code Retry-After} wins when it is longer.
   *
   * @param failedAttempt 1 for the first failed attempt
   * @param retryAfter    the server's Retry-After, or null
   */
  public Duration delay(long failedAttempt, Duration retryAfter, DoubleSupplier random) {
    double cap = minWait.toMillis() * Math.pow(2, Math.min(failedAttempt - 1, 30));
    cap = Math.min(cap, maxWait.toMillis());
    long wait = Math.max(minWait.toMillis(), (long) (cap / 2 + random.getAsDouble() * cap / 2));
    Duration backoff = Duration.ofMillis(wait);
    return retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
  }

  /** This policy with the function's {@code com.openfaas.retry.*} annotations applied; bad values are rejected. */
  public RetryPolicy withAnnotations(Map<String, String> annotations) {
    int newAttempts = attempts;
    Set<Integer> newCodes = codes;
    Duration newMin = minWait;
    Duration newMax = maxWait;
    String value = annotations.get(ANNOTATION_PREFIX + "attempts");
    if (value != null) {
      newAttempts = Integer.parseInt(value.trim());
    }
    value = annotations.get(ANNOTATION_PREFIX + "codes");
    if (value != null) {
      newCodes = parseCodes(value);
    }
    value = annotations.get(ANNOTATION_PREFIX + "min_wait");
    if (value != null) {
      newMin = GoDuration.parse(value);
    }
    value = annotations.get(ANNOTATION_PREFIX + "max_wait");
    if (value != null) {
      newMax = GoDuration.parse(value);
    }
    return new RetryPolicy(newAttempts, newCodes, newMin, newMax);
  }

  /** {@code "429, 502,503"} as a set; the separators OpenFaaS accepts are commas and spaces. */
  public static Set<Integer> parseCodes(String text) {
    try {
      return Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).map(Integer::valueOf)
          .collect(Collectors.toUnmodifiableSet());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a list of HTTP status codes; expected e.g. 429,502,503");
    }
  }
}
