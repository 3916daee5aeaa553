package dev.plonk.gateway.async;

import dev.plonk.call.AsyncCall;
import dev.plonk.call.CallStreams;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes queued calls to JetStream ({@code plonk.calls.<namespace>.<name>} on stream {@code plonk-calls}),
 * with {@code Nats-Msg-Id} = call id so a retried publish inside the duplicate window is stored once.
 */
public final class AsyncPublisher implements AutoCloseable {
  private final Connection connection;
  private final JetStream jetStream;

  private AsyncPublisher(Connection connection) throws IOException {
    this.connection = connection;
    this.jetStream = connection.jetStream();
  }

  /** Connects (retrying in the background if NATS restarts) and creates the streams if they are missing. */
  public static AsyncPublisher connect(String natsUrl, Duration maxAge) throws IOException, InterruptedException,
      JetStreamApiException {
    Connection connection = Nats.connect(Options.builder().server(natsUrl).connectionName("plonk-gateway")
        .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(-1).reconnectWait(Duration.ofMillis(500)).build());
    try {
      CallStreams.ensure(connection.jetStreamManagement(), maxAge);
      return new AsyncPublisher(connection);
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** Completes with the ack; {@link PublishAck#isDuplicate()} is true when this call id was already stored. */
  public CompletableFuture<PublishAck> publish(AsyncCall call) {
    return jetStream.publishAsync(call.subject(), call.toJson(),
        PublishOptions.builder().messageId(call.callId()).stream(AsyncCall.STREAM).build());
  }

  @Override
  public void close() throws InterruptedException {
    connection.close();
  }
}
