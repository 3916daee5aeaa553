package dev.plonk.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitsTest {
  @Test
  void inflightSlotsAreBoundedByMaxInflight() {
    ConcurrencyLimits limits = new ConcurrencyLimits(2, 0);
    assertThat(limits.tryStart()).isTrue();
    assertThat(limits.tryStart()).isTrue();
    assertThat(limits.tryStart()).isFalse();
    limits.finished();
    assertThat(limits.tryStart()).isTrue();
  }

  @Test
  void heldSlotsAreTwiceMaxInflightAndFetchedInBatches() throws InterruptedException {
    ConcurrencyLimits limits = new ConcurrencyLimits(4, 0);
    assertThat(limits.acquireHeld(10)).isEqualTo(8);
    assertThat(limits.nothingHeld()).isFalse();
    limits.releaseHeld(1);
    assertThat(limits.acquireHeld(10)).isZero(); // fewer than max-inflight/2 free: wait for a bigger batch
    limits.releaseHeld(1);
    assertThat(limits.acquireHeld(10)).isEqualTo(2);
    limits.releaseHeld(8);
    assertThat(limits.nothingHeld()).isTrue();
  }

  @Test
  void callsOverThePerFunctionLimitWaitForACallOfTheSameFunction() {
    ConcurrencyLimits limits = new ConcurrencyLimits(8, 1);
    List<String> ran = new ArrayList<>();
    assertThat(limits.enter("a", () -> ran.add("a1"))).isTrue();
    assertThat(limits.enter("a", () -> ran.add("a2"))).isFalse();
    assertThat(limits.enter("b", () -> ran.add("b1"))).isTrue();
    assertThat(ran).containsExactly("a1", "b1");

    Runnable next = limits.exit("a");
    assertThat(next).isNotNull();
    next.run();
    assertThat(ran).containsExactly("a1", "b1", "a2");
    assertThat(limits.exit("a")).isNull();
    assertThat(limits.enter("a", () -> ran.add("a3"))).isTrue();
  }

  @Test
  void rejectsNonsenseLimits() {
    assertThatThrownBy(() -> new ConcurrencyLimits(0, 0)).hasMessageContaining("--max-inflight must be at least 1");
    assertThatThrownBy(() -> new ConcurrencyLimits(1, -1)).hasMessageContaining("--max-inflight-per-function");
  }
}
