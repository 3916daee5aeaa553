package dev.plonk.main;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StartupRetryTest {
  private final List<String> log = new ArrayList<>();

  @Test
  void retriesWithGrowingPausesUntilTheAttemptAnswers() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String version = new StartupRetry(Duration.ofSeconds(30), Duration.ofMillis(1), Duration.ofMillis(4))
        .run("Kubernetes", log::add, () -> {
          if (calls.incrementAndGet() < 5) {
            throw new IOException("timeout " + calls.get());
          }
          return "v1.36.3";
        });
    assertThat(version).isEqualTo("v1.36.3");
    assertThat(log).containsExactly(
        "Kubernetes not answering yet (attempt 1: timeout 1); retrying in 1ms",
        "Kubernetes not answering yet (attempt 2: timeout 2); retrying in 2ms",
        "Kubernetes not answering yet (attempt 3: timeout 3); retrying in 4ms",
        "Kubernetes not answering yet (attempt 4: timeout 4); retrying in 4ms");
  }

  @Test
  void afterTheBoundTheLastFailureIsThrownNamingTheFlag() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> new StartupRetry(Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(1))
        .run("Kubernetes at https://10.0.0.1", log::add, () -> {
          calls.incrementAndGet();
          throw new IOException("connect timed out");
        }))
        .isInstanceOf(StartupRetry.StartupException.class)
        .hasMessage("Kubernetes at https://10.0.0.1 did not answer within 0s (1 attempts; raise --startup-timeout if "
            + "the cluster is slow to answer): connect timed out")
        .hasCauseInstanceOf(IOException.class);
    assertThat(calls).hasValue(1);
    assertThat(log).isEmpty();
  }

  @Test
  void refusesPausesThatCannotGrow() {
    assertThatThrownBy(() -> new StartupRetry(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive first pause");
  }
}
