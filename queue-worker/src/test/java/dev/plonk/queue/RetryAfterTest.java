package dev.plonk.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  @Test
  void readsRetryAfterSecondsAndDates() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-24T21:00:00Z"), ZoneOffset.UTC);
    assertThat(RetryAfter.parse("3", clock)).isEqualTo(Duration.ofSeconds(3));
    assertThat(RetryAfter.parse("Tue, 24 Nov 2026 21:00:05 GMT", clock)).isEqualTo(Duration.ofSeconds(5));
    assertThat(RetryAfter.parse("Tue, 24 Nov 2026 20:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("soon", clock)).isNull();
    assertThat(RetryAfter.parse(null, clock)).isNull();
  }
}
