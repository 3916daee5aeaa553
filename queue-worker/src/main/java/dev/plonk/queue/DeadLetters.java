package dev.plonk.queue;

import dev.plonk.call.AsyncCall;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.io.IOException;

/**
 * Publishes a message that will not be retried to stream {@code plonk-calls-dlq} on
 * {@code plonk.dlq.<namespace>.<function>}: the original payload unchanged (so it can be replayed) and headers
 * saying why. The publish waits for JetStream's acknowledgement; its {@code Nats-Msg-Id} is derived from the
 * original stream sequence, so a worker that crashes after publishing and before acking stores it only once.
 */
public final class DeadLetters {
  public static final String REASON = "Plonk-Dead-Letter-Reason";
  public static final String ATTEMPTS = "Plonk-Attempts";
  public static final String CALL_ID = "Plonk-Call-Id";
  public static final String FUNCTION_STATUS = "Plonk-Function-Status";
  public static final String ORIGINAL_SUBJECT = "Plonk-Original-Subject";

  private final JetStream js;
  private final QueueMetrics metrics;

  public DeadLetters(JetStream js, QueueMetrics metrics) {
    this.js = js;
    this.metrics = metrics;
  }

  /**
   * @param call           the parsed call, or null for a malformed message
   * @param functionStatus the last function status, or null when the function was not called
   */
  public void publish(Message original, AsyncCall call, String reason, long attempts, Integer functionStatus)
      throws IOException, JetStreamApiException {
    Headers headers = new Headers()
        .put(REASON, oneLine(reason))
        .put(ATTEMPTS, Long.toString(attempts))
        .put(ORIGINAL_SUBJECT, original.getSubject())
        .put("Nats-Msg-Id", "dlq-" + original.metaData().getStream() + "-" + original.metaData().streamSequence());
    if (call != null) {
      headers.put(CALL_ID, call.callId());
    }
    if (functionStatus != null) {
      headers.put(FUNCTION_STATUS, functionStatus.toString());
    }
    js.publish(subjectFor(original.getSubject(), call), headers, original.getData());
    metrics.deadLetter();
  }

  static String subjectFor(String originalSubject, AsyncCall call) {
    if (call != null) {
      return AsyncCall.DEAD_LETTER_SUBJECT_PREFIX + call.namespace() + "." + call.function();
    }
    if (originalSubject != null && originalSubject.startsWith(AsyncCall.SUBJECT_PREFIX)
        && originalSubject.length() > AsyncCall.SUBJECT_PREFIX.length()) {
      return AsyncCall.DEAD_LETTER_SUBJECT_PREFIX + originalSubject.substring(AsyncCall.SUBJECT_PREFIX.length());
    }
    return AsyncCall.DEAD_LETTER_SUBJECT_PREFIX + "unknown";
  }

  private static String oneLine(String text) {
    String flat = text.replaceAll("[\\r\\n]+", " ");
    return flat.length() > 1000 ? flat.substring(0, 1000) + "..." : flat;
  }
}
