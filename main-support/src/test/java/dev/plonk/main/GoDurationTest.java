package dev.plonk.main;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
}
