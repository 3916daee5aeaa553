package dev.plonk.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GoDurationTest {
  @Test
  void parsesGoDurations() {
    assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDuration.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(GoDuration.parse("30")).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void rejectsOtherText() {
    assertThatThrownBy(() -> GoDuration.parse("ten seconds")).hasMessageContaining("expected e.g. 500ms");
    assertThatThrownBy(() -> GoDuration.parse("10s junk")).hasMessageContaining("is not a duration");
    assertThatThrownBy(() -> GoDuration.parse("")).hasMessageContaining("empty duration");
  }

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
