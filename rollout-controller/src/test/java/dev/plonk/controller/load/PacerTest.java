package dev.plonk.controller.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacerTest {
  private static final long MS = 1_000_000L;

  @Test
  void sendsExactlyRateTimesElapsedOverManyTicks() {
    Pacer pacer = new Pacer(30, 0);
    long total = 0;
    for (long t = 100; t <= 10_000; t += 100) {
      int due = pacer.due(t * MS);
      assertThat(due).isBetween(2, 4);
      total += due;
    }
    assertThat(total).isEqualTo(300);
  }

  @Test
  void lowRatesSpreadOverTicks() {
    Pacer pacer = new Pacer(1, 0);
    assertThat(pacer.due(500 * MS)).isZero();
    assertThat(pacer.due(999 * MS)).isZero();
    assertThat(pacer.due(1000 * MS)).isEqualTo(1);
    assertThat(pacer.due(1100 * MS)).isZero();
    assertThat(pacer.due(2000 * MS)).isEqualTo(1);
  }

  @Test
  void aStalledThreadNeverCatchesUpInABurst() {
    Pacer pacer = new Pacer(50, 0);
    assertThat(pacer.due(100 * MS)).isEqualTo(5);
    assertThat(pacer.due(10_100 * MS)).as("10 s late: one second's worth, the rest dropped").isEqualTo(50);
    assertThat(pacer.due(10_200 * MS)).as("then the steady pace again").isEqualTo(5);
  }

  @Test
  void aClockGoingBackwardsSendsNothing() {
    Pacer pacer = new Pacer(10, 5_000 * MS);
    assertThat(pacer.due(4_000 * MS)).isZero();
    assertThatThrownBy(() -> new Pacer(0, 0)).hasMessageContaining("at least 1");
  }
}
