package dev.plonk.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallHeadersTest {
  @Test
  void hopByHopHeadersAreNotCopied() {
    var from = new DefaultHttpHeaders();
    from.add("Connection", "close").add("Transfer-Encoding", "chunked").add("X-Keep", "1").add("Host", "a")
        .add("Content-Length", "3");
    var to = new DefaultHttpHeaders();
    CallHeaders.copyEndToEnd(from, to);
    assertThat(to.names()).containsExactly("X-Keep");
  }

  @Test
  void callIdsAreVersion4UuidsAndDurationsHaveMicroseconds() {
    UUID id = UUID.fromString(CallHeaders.newCallId());
    assertThat(id.version()).isEqualTo(4);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(CallHeaders.seconds(0.0012345)).isEqualTo("0.001235");
    assertThat(CallHeaders.seconds(2.5)).isEqualTo("2.500000");
  }
}
