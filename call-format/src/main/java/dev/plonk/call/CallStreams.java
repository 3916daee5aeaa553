package dev.plonk.call;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;

/**
 * Creates the JetStream streams for queued calls if they are missing: whichever of the gateway and the
 * queue-worker starts first creates them, with the same configuration.
 */
public final class CallStreams {
  /** Window in which a repeated {@code Nats-Msg-Id} (the call id) is stored only once. */
  public static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);

  private CallStreams() {}

  public static void ensure(JetStreamManagement jsm, Duration maxAge) throws IOException, JetStreamApiException {
    ensure(jsm, StreamConfiguration.builder()
        .name(AsyncCall.STREAM)
        .subjects(AsyncCall.SUBJECT_PREFIX + ">")
        .storageType(StorageType.File)
        .maxAge(maxAge)
        .duplicateWindow(DUPLICATE_WINDOW)
        .build());
    ensure(jsm, StreamConfiguration.builder()
        .name(AsyncCall.DEAD_LETTER_STREAM)
        .subjects(AsyncCall.DEAD_LETTER_SUBJECT_PREFIX + ">")
        .storageType(StorageType.File)
        .build());
  }

  private static void ensure(JetStreamManagement jsm, StreamConfiguration config)
      throws IOException, JetStreamApiException {
    try {
      jsm.getStreamInfo(config.getName());
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() != 404) {
        throw e;
      }
      try {
        jsm.addStream(config);
      } catch (JetStreamApiException raced) {
        // the other side created it between our lookup and our add: fine if it exists now
        jsm.getStreamInfo(config.getName());
      }
    }
  }
}
