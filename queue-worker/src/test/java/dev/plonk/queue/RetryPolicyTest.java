package dev.plonk.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = RetryPolicy.DEFAULT;

  @Test
  void defaultsFollowOpenFaasPro() {
    assertThat(policy.attempts()).isEqualTo(10);
    assertThat(policy.codes()).containsExactlyInAnyOrder(408, 429, 500, 502, 503, 504);
    assertThat(policy.minWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.maxWait()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void connectErrorsAndListedCodesAreRetried() {
    assertThat(policy.isRetryable(0)).isTrue();
    assertThat(policy.isRetryable(503)).isTrue();
    assertThat(policy.isRetryable(404)).isFalse();
    assertThat(policy.isRetryable(501)).isFalse();
  }

  @Test
  void backoffDoublesWithEqualJitterAndIsCapped() {
    assertThat(policy.delay(1, null, () -> 1.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delay(1, null, () -> 0.0)).isEqualTo(Duration.ofSeconds(1)); // never below min wait
    assertThat(policy.delay(3, null, () -> 1.0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delay(3, null, () -> 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delay(4, null, () -> 0.5)).isEqualTo(Duration.ofSeconds(6));
    assertThat(policy.delay(9, null, () -> 1.0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.delay(1000, null, () -> 0.0)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void longerRetryAfterWins() {
    assertThat(policy.delay(1, Duration.ofSeconds(7), () -> 1.0)).isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.delay(3, Duration.ofMillis(10), () -> 1.0)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void openFaasAnnotationsOverrideTheFlags() {
    RetryPolicy custom = policy.withAnnotations(Map.of(
        "com.openfaas.retry.attempts", "3",
        "com.openfaas.retry.codes", "429, 502",
        "com.openfaas.retry.min_wait", "500ms",
        "com.openfaas.retry.max_wait", "1m30s",
        "com.openfaas.scale.min", "2"));
    assertThat(custom).isEqualTo(new RetryPolicy(3, Set.of(429, 502), Duration.ofMillis(500), Duration.ofSeconds(90)));
    assertThat(policy.withAnnotations(Map.of())).isEqualTo(policy);
  }

  @Test
  void badAnnotationsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> policy.withAnnotations(Map.of("com.openfaas.retry.codes", "5xx")))
        .hasMessageContaining("'5xx' is not a list of HTTP status codes");
    assertThatThrownBy(() -> policy.withAnnotations(Map.of("com.openfaas.retry.max_wait", "10ms")))
        .hasMessageContaining("min_wait <= max_wait");
    assertThatThrownBy(() -> policy.withAnnotations(Map.of("com.openfaas.retry.attempts", "0")))
        .hasMessageContaining("at least 1");
  }
}
