package dev.plonk.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.gateway.async.AsyncCall;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionInvokerTest {
  private final FunctionInvoker invoker = new FunctionInvoker(HttpClient.newHttpClient(),
      URI.create("http://127.0.0.1:8080/"), Duration.ofSeconds(1), Clock.systemUTC());

  @Test
  void callsTheGatewaySyncPathWithPathAndQuery() {
    AsyncCall call = new AsyncCall("id", "ns1", "echo", "PUT", "/a/b", "x=1&y=2", Map.of(), null, null, 0);
    assertThat(invoker.uriFor(call)).hasToString("http://127.0.0.1:8080/function/echo.ns1/a/b?x=1&y=2");
    AsyncCall bare = new AsyncCall("id", "ns1", "echo", "POST", "", null, Map.of(), null, null, 0);
    assertThat(invoker.uriFor(bare)).hasToString("http://127.0.0.1:8080/function/echo.ns1");
  }

  @Test
  void copiesHeadersButNotHopByHopOrCallIdentity() {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1/"));
    FunctionInvoker.copyHeaders(Map.of("Content-Type", List.of("text/plain"), "X-Multi", List.of("a", "b"),
        "Host", List.of("evil"), "Connection", List.of("close"), "X-Call-Id", List.of("old"),
        "X-Callback-Url", List.of("http://cb")), request);
    Map<String, List<String>> copied = request.build().headers().map();
    assertThat(copied).containsOnlyKeys("Content-Type", "X-Multi");
    assertThat(copied.get("X-Multi")).containsExactly("a", "b");
  }
}
