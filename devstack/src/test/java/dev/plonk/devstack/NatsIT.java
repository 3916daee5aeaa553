package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@DevStackTest(kubernetes = false, nats = true)
class NatsIT {

  @Test
  void jetStreamMessagesSurviveAServerRestart(dev.plonk.devstack.Nats nats) throws Exception {
    int count = 500;
    try (Connection connection = connect(nats)) {
      connection.jetStreamManagement().addStream(StreamConfiguration.builder().name("devstack-it")
          .subjects("devstack.it.>").storageType(StorageType.File).build());
      JetStream js = connection.jetStream();
      for (int i = 0; i < count; i++) {
        js.publish("devstack.it.msg", ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
    }

    nats.restart();

    Set<String> received = new HashSet<>();
    try (Connection connection = connect(nats)) {
      assertThat(connection.jetStreamManagement().getStreamInfo("devstack-it").getStreamState().getMsgCount())
          .isEqualTo(count);
      JetStreamSubscription sub = connection.jetStream().subscribe("devstack.it.>", PullSubscribeOptions.builder()
          .configuration(ConsumerConfiguration.builder().durable("it-reader").build()).build());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < count && System.nanoTime() < deadline) {
        List<Message> batch = sub.fetch(100, Duration.ofSeconds(1));
        for (Message message : batch) {
          received.add(new String(message.getData(), StandardCharsets.UTF_8));
          message.ack();
        }
      }
    }
    assertThat(received).hasSize(count).contains("m0", "m" + (count - 1));
  }

  private static Connection connect(dev.plonk.devstack.Nats nats) throws Exception {
    return Nats.connect(Options.builder().server(nats.url()).connectionTimeout(Duration.ofSeconds(5)).build());
  }
}
