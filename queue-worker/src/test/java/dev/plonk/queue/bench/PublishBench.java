package dev.plonk.queue.bench;

import dev.plonk.call.AsyncCall;
import dev.plonk.call.CallStreams;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark tool (bench/queue), not a test. Two modes:
 * <ul>
 *   <li>{@code raw <nats-url> <count>}: (a) raw jnats JetStream async publish rate of AsyncCall payloads with
 *       {@code Nats-Msg-Id} into a stream configured like {@code plonk-calls}; prints {@code raw_publish_per_s}.</li>
 *   <li>{@code queue <nats-url> <count> <namespace> <function>}: publishes calls on {@code plonk-calls} for the
 *       drain benchmark, as the gateway would.</li>
 *   <li>{@code purge <nats-url> 0}: empties {@code plonk-calls} (between benchmarks).</li>
 * </ul>
 * Bounded: at most {@code count} messages and 120 s.
 */
public final class PublishBench {
  private static final int WINDOW = 2000;
  private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(120);

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int count = Integer.parseInt(args[2]);
    try (Connection connection = Nats.connect(args[1])) {
      JetStreamManagement jsm = connection.jetStreamManagement();
      CallStreams.ensure(jsm, Duration.ofHours(72));
      if (mode.equals("purge")) {
        jsm.purgeStream(AsyncCall.STREAM);
        return;
      }
      String subject;
      if (mode.equals("raw")) {
        StreamConfiguration calls = jsm.getStreamInfo(AsyncCall.STREAM).getConfiguration();
        deleteQuietly(jsm, "bench-raw");
        jsm.addStream(StreamConfiguration.builder().name("bench-raw").subjects("bench.raw.>")
            .storageType(StorageType.File).maxAge(calls.getMaxAge()).duplicateWindow(calls.getDuplicateWindow())
            .build());
        subject = "bench.raw.echo";
      } else {
        subject = AsyncCall.SUBJECT_PREFIX + args[3] + "." + args[4];
      }
      String namespace = mode.equals("raw") ? "bench" : args[3];
      String function = mode.equals("raw") ? "echo" : args[4];
      double seconds = publish(connection.jetStream(), subject, namespace, function, count);
      System.out.printf("%s_published=%d%n%s_publish_per_s=%.0f%n", mode, count, mode, count / seconds);
      if (mode.equals("raw")) {
        jsm.deleteStream("bench-raw");
      }
    }
  }

  private static double publish(JetStream js, String subject, String namespace, String function, int count)
      throws Exception {
    Deque<CompletableFuture<PublishAck>> window = new ArrayDeque<>();
    long start = System.nanoTime();
    for (int i = 0; i < count && System.nanoTime() - start < LIMIT_NANOS; i++) {
      AsyncCall call = new AsyncCall(UUID.randomUUID().toString(), namespace, function, "POST", "", null,
          Map.of("Content-Type", List.of("text/plain"), "User-Agent", List.of("bench")),
          ("payload " + i).getBytes(StandardCharsets.UTF_8), null, System.currentTimeMillis());
      window.add(js.publishAsync(subject, new Headers().put("Nats-Msg-Id", call.callId()), call.toJson()));
      if (window.size() >= WINDOW) {
        window.poll().get(30, TimeUnit.SECONDS);
      }
    }
    while (!window.isEmpty()) {
      window.poll().get(30, TimeUnit.SECONDS);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void deleteQuietly(JetStreamManagement jsm, String stream) throws Exception {
    try {
      jsm.deleteStream(stream);
    } catch (JetStreamApiException notThere) {
      // first run
    }
  }
}
