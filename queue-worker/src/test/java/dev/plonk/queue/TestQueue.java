package dev.plonk.queue;

import dev.plonk.call.AsyncCall;
import dev.plonk.call.CallStreams;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Publishes calls the way the gateway does and reads the dead-letter stream, for one test namespace. */
final class TestQueue implements AutoCloseable {
  final String namespace = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final Connection connection;
  private final JetStream js;

  TestQueue(dev.plonk.devstack.Nats nats) throws Exception {
    connection = Nats.connect(Options.builder().server(nats.url()).connectionTimeout(Duration.ofSeconds(5))
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(250)).build());
    CallStreams.ensure(connection.jetStreamManagement(), Duration.ofHours(1));
    js = connection.jetStream();
  }

  /** The worker flags that confine it to this namespace with its own durable consumer. */
  List<String> workerFlags(String gatewayUrl) {
    return List.of("--nats-url", connection.getConnectedUrl(), "--gateway-url", gatewayUrl,
        "--consumer", "it-" + namespace, "--subject-filter", AsyncCall.SUBJECT_PREFIX + namespace + ".>");
  }

  AsyncCall call(String function, String body, String callbackUrl) {
    return new AsyncCall(UUID.randomUUID().toString(), namespace, function, "POST", "/work", "n=1",
        Map.of("Content-Type", List.of("text/plain")), body.getBytes(StandardCharsets.UTF_8), callbackUrl,
        System.currentTimeMillis());
  }

  AsyncCall publish(AsyncCall call) throws Exception {
    js.publish(call.subject(), new Headers().put("Nats-Msg-Id", call.callId()), call.toJson());
    return call;
  }

  void publishRaw(String function, byte[] payload) throws Exception {
    js.publish(AsyncCall.SUBJECT_PREFIX + namespace + "." + function, payload);
  }

  /** Dead letters of this namespace, reading for up to {@code wait} until {@code expected} arrived. */
  List<Message> deadLetters(int expected, Duration wait) throws Exception {
    JetStreamSubscription sub = js.subscribe(AsyncCall.DEAD_LETTER_SUBJECT_PREFIX + namespace + ".>",
        PullSubscribeOptions.builder().stream(AsyncCall.DEAD_LETTER_STREAM)
            .configuration(ConsumerConfiguration.builder().inactiveThreshold(Duration.ofSeconds(30)).build()).build());
    List<Message> result = new ArrayList<>();
    long deadline = System.nanoTime() + wait.toNanos();
    while (result.size() < expected && System.nanoTime() < deadline) {
      for (Message message : sub.fetch(expected - result.size(), Duration.ofMillis(500))) {
        message.ack();
        result.add(message);
      }
    }
    sub.unsubscribe();
    return result;
  }

  @Override
  public void close() throws InterruptedException {
    connection.close();
  }
}
