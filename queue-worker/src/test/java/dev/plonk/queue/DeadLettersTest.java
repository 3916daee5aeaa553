package dev.plonk.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.call.AsyncCall;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  @Test
  void deadLetterSubjectFollowsTheCallOrTheOriginalSubject() {
    AsyncCall call = new AsyncCall("id", "team-a", "echo", "POST", "", null, Map.of(), null, null, 0);
    assertThat(DeadLetters.subjectFor("plonk.calls.x.y", call)).isEqualTo("plonk.dlq.team-a.echo");
    assertThat(DeadLetters.subjectFor("plonk.calls.team-b.resize", null)).isEqualTo("plonk.dlq.team-b.resize");
    assertThat(DeadLetters.subjectFor("plonk.calls.", null)).isEqualTo("plonk.dlq.unknown");
  }
}
