package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.call.AsyncCall;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Nats;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** /async-function publishes a complete AsyncCall to a real JetStream, once per call id. */
@DevStackTest(nats = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncIT {
  private Gateway gateway;
  private Connection nats;

  @BeforeAll
  void start(Kubernetes kubernetes, Nats natsServer) throws Exception {
    gateway = GatewayMain.start("--port=0", "--basic-auth=false", "--kubeconfig=" + kubernetes.kubeconfig(), "--nats-url=" + natsServer.url());
    nats = io.nats.client.Nats.connect(Options.builder().server(natsServer.url()).build());
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    nats.close();
  }

  private HttpResponse<String> post(String path, String callId, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path))
        .timeout(Duration.ofSeconds(20)).header("X-Callback-Url", "http://127.0.0.1:9/callback")
        .header("X-Custom", "kept").POST(HttpRequest.BodyPublishers.ofString(body));
    if (callId != null) {
      request.header("X-Call-Id", callId);
    }
    return Fixtures.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Posts until the gateway's informer knows the function (bounded: 30 s); a 404 is never queued. */
  private static HttpResponse<String> await(java.util.concurrent.Callable<HttpResponse<String>> post) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> response = post.call();
    while (response.statusCode() == 404 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      response = post.call();
    }
    return response;
  }

  @Test
  void aCallToAnUnknownFunctionIsRefusedAndNeverQueued(TestNamespace ns) throws Exception {
    HttpResponse<String> response = post("/async-function/ghost." + ns.name(), null, "{}");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("function ghost." + ns.name() + " not found");
    HttpResponse<String> system = post("/async-function/kubernetes.default", null, "{}");
    assertThat(system.statusCode()).isEqualTo(404);
  }

  private List<Message> drain(String subject) throws Exception {
    JetStreamSubscription sub = nats.jetStream().subscribe(subject, PullSubscribeOptions.builder().build());
    List<Message> all = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      List<Message> batch = sub.fetch(10, Duration.ofMillis(500));
      if (batch.isEmpty() && !all.isEmpty()) {
        break;
      }
      batch.forEach(Message::ack);
      all.addAll(batch);
    }
    sub.unsubscribe();
    return all;
  }

  @Test
  void theQueuedMessageIsCompleteAndADuplicateCallIdIsStoredOnce(KubernetesClient client, TestNamespace ns)
      throws Exception {
    Fixtures.service(client, ns.name(), "echo", 9);
    String callId = "call-" + UUID.randomUUID();
    String path = "/async-function/echo." + ns.name() + "/sub/path?a=1&b=2";
    HttpResponse<String> first = await(() -> post(path, callId, "hello async"));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(first.headers().firstValue("X-Call-Id")).contains(callId);
    HttpResponse<String> again = post(path, callId, "hello async");
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.body()).contains("\"duplicate\":true");

    List<Message> messages = drain("plonk.calls." + ns.name() + ".echo");
    assertThat(messages).hasSize(1);
    Message message = messages.get(0);
    assertThat(message.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(callId);
    AsyncCall call = AsyncCall.fromJson(message.getData());
    assertThat(call.callId()).isEqualTo(callId);
    assertThat(call.namespace()).isEqualTo(ns.name());
    assertThat(call.function()).isEqualTo("echo");
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.path()).isEqualTo("/sub/path");
    assertThat(call.query()).isEqualTo("a=1&b=2");
    assertThat(new String(call.body(), StandardCharsets.UTF_8)).isEqualTo("hello async");
    assertThat(call.callbackUrl()).isEqualTo("http://127.0.0.1:9/callback");
    assertThat(call.headers()).containsEntry("X-Custom", List.of("kept")).doesNotContainKey("Host");
    assertThat(call.receivedAt()).isPositive();
  }

  @Test
  void aCallWithoutIdGetsAUuid(KubernetesClient client, TestNamespace ns) throws Exception {
    Fixtures.service(client, ns.name(), "other", 9);
    HttpResponse<String> response = await(() -> post("/async-function/other." + ns.name(), null, "{}"));
    assertThat(response.statusCode()).isEqualTo(202);
    String id = response.headers().firstValue("X-Call-Id").orElseThrow();
    assertThat(UUID.fromString(id)).isNotNull();
    List<Message> messages = drain("plonk.calls." + ns.name() + ".other");
    assertThat(messages).singleElement().satisfies(m -> assertThat(AsyncCall.fromJson(m.getData()).callId()).isEqualTo(id));
  }
}
