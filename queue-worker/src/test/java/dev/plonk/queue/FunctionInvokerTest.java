package dev.plonk.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.call.AsyncCall;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionInvokerTest {
  private final FunctionInvoker invoker = new FunctionInvoker(null, URI.create("http://127.0.0.1:8080/"),
      Clock.systemUTC());

  @Test
  void callsTheGatewaySyncPathWithPathAndQuery() {
    AsyncCall call = new AsyncCall("id", "ns1", "echo", "PUT", "/a/b", "x=1&y=2", Map.of(), null, null, 0);
    assertThat(invoker.uriFor(call)).hasToString("http://127.0.0.1:8080/function/echo.ns1/a/b?x=1&y=2");
    AsyncCall bare = new AsyncCall("id", "ns1", "echo", "POST", "", null, Map.of(), null, null, 0);
    assertThat(invoker.targetFor(bare)).isEqualTo("/function/echo.ns1");
    FunctionInvoker prefixed = new FunctionInvoker(null, URI.create("http://gw:8080/openfaas/"),
        Clock.systemUTC());
    assertThat(prefixed.targetFor(bare)).isEqualTo("/openfaas/function/echo.ns1");
  }

  @Test
  void copiesHeadersButNotHopByHopOrCallIdentity() {
    HttpHeaders copied = new DefaultHttpHeaders();
    FunctionInvoker.copyHeaders(Map.of("Content-Type", List.of("text/plain"), "X-Multi", List.of("a", "b"),
        "Host", List.of("evil"), "Connection", List.of("close"), "X-Call-Id", List.of("old"),
        "X-Callback-Url", List.of("http://cb"), "Transfer-Encoding", List.of("chunked")), copied);
    assertThat(copied.names()).containsExactlyInAnyOrder("Content-Type", "X-Multi");
    assertThat(copied.getAll("X-Multi")).containsExactly("a", "b");
  }
}
