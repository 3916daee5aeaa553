package dev.plonk.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoFunctionTest {
  @Test
  void queryKnobsOverrideDefaultsAndIgnoreGarbage() {
    assertThat(EchoFunction.param("fail=0.5&latency=20", "fail", 0)).isEqualTo(0.5);
    assertThat(EchoFunction.param("fail=0.5&latency=20", "latency", 0)).isEqualTo(20);
    assertThat(EchoFunction.param("failure=1", "fail", 0.1)).isEqualTo(0.1);
    assertThat(EchoFunction.param("fail=abc", "fail", 0.2)).isEqualTo(0.2);
    assertThat(EchoFunction.param(null, "fail", 0.3)).isEqualTo(0.3);
  }
}
