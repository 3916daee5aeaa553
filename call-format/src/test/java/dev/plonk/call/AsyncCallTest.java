package dev.plonk.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AsyncCallTest {
  @Test
  void aCallSurvivesItsJsonAndNamesItsSubject() throws Exception {
    AsyncCall call = new AsyncCall("id-1", "fn-ns", "echo", "POST", "/x", "a=1",
        Map.of("X-Trace", List.of("t")), "hi".getBytes(StandardCharsets.UTF_8), "http://cb", 42L);
    AsyncCall back = AsyncCall.fromJson(call.toJson());
    assertThat(back.callId()).isEqualTo("id-1");
    assertThat(back.headers()).isEqualTo(Map.of("X-Trace", List.of("t")));
    assertThat(new String(back.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
    assertThat(back.subject()).isEqualTo("plonk.calls.fn-ns.echo");
    assertThat(back.qualifiedName()).isEqualTo("echo.fn-ns");
  }

  @Test
  void aMalformedPayloadSaysWhatIsWrong() {
    assertThatThrownBy(() -> AsyncCall.fromJson("{\"callId\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(AsyncCall.MalformedCallException.class).hasMessageContaining("'namespace'");
    assertThatThrownBy(() -> AsyncCall.fromJson("not json".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not an AsyncCall JSON document");
    assertThatThrownBy(() -> AsyncCall.fromJson(("{\"callId\":\"x\",\"namespace\":\"n\",\"function\":\"f\","
        + "\"method\":\"GET\",\"path\":\"x\"}").getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("path must be empty or start with '/'");
  }
}
