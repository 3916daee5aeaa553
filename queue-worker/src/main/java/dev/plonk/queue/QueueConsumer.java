package dev.plonk.queue;

import dev.plonk.call.AsyncCall;
import dev.plonk.call.CallStreams;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch loop: a durable pull consumer on {@code plonk-calls} shared by all worker replicas (so the worker
 * scales out), fetching only as many messages as there are free slots ({@link ConcurrencyLimits}) and starting
 * each on the {@link CallProcessor}, which works asynchronously. {@link #stop} stops fetching and waits for the
 * calls in flight.
 */
public final class QueueConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);

  private final Connection connection;
  private final WorkerSettings settings;
  private final CallProcessor processor;
  private final ConcurrencyLimits limits;
  private final InProgressAcks inProgress;
  private final Queue<Message> ready = new ConcurrentLinkedQueue<>();
  private final QueueMetrics metrics;
  private volatile boolean running = true;
  private Thread loop;

  public QueueConsumer(Connection connection, WorkerSettings settings, CallProcessor processor,
      ConcurrencyLimits limits, InProgressAcks inProgress, QueueMetrics metrics) {
    this.connection = connection;
    this.settings = settings;
    this.processor = processor;
    this.limits = limits;
    this.inProgress = inProgress;
    this.metrics = metrics;
  }

  /** Creates the streams and the durable consumer if missing (whichever side starts first), then starts fetching. */
  public void start() throws IOException, JetStreamApiException {
    JetStreamManagement jsm = connection.jetStreamManagement();
    CallStreams.ensure(jsm, settings.streamMaxAge());
    jsm.addOrUpdateConsumer(AsyncCall.STREAM, consumerConfiguration(settings));
    JetStreamSubscription subscription = connection.jetStream()
        .subscribe(null, PullSubscribeOptions.bind(AsyncCall.STREAM, settings.consumer()));
    loop = new Thread(() -> fetchLoop(subscription), "plonk-queue-fetch");
    loop.start();
    LOG.info("consuming {} from stream {} as durable consumer {} with max-inflight {}", settings.subjectFilter(),
        AsyncCall.STREAM, settings.consumer(), limits.maxInflight());
  }

  static ConsumerConfiguration consumerConfiguration(WorkerSettings settings) {
    return ConsumerConfiguration.builder()
        .durable(settings.consumer())
        .filterSubject(settings.subjectFilter())
        .ackPolicy(AckPolicy.Explicit)
        .deliverPolicy(DeliverPolicy.All)
        .ackWait(settings.ackWait())
        .maxAckPending(settings.maxAckPending())
        .maxDeliver(-1) // the worker counts attempts itself and dead-letters; JetStream would drop silently
        .build();
  }

  private void fetchLoop(JetStreamSubscription subscription) {
    while (running) {
      int slots = 0;
      try {
        slots = limits.acquireHeld(500);
        if (slots == 0 || !running) {
          continue;
        }
        List<Message> messages = subscription.fetch(slots, Duration.ofSeconds(1));
        for (Message message : messages) {
          if (message.isJetStream()) {
            slots--;
            inProgress.track(message);
            ready.add(message);
          }
        }
        startReady();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } catch (RuntimeException e) {
        LOG.warn("fetch from {} failed ({}); retrying in 1 s", AsyncCall.STREAM, e.toString());
        pause();
      } finally {
        limits.releaseHeld(slots);
      }
    }
  }

  /** Starts ready messages while inflight slots are free; called after every fetch and every finished call. */
  private void startReady() {
    while (!ready.isEmpty() && limits.tryStart()) {
      Message message = ready.poll();
      if (message == null) {
        limits.finished();
        return;
      }
      limits.enter(message.getSubject(), () -> run(message));
    }
  }

  private void run(Message message) {
    if (!running) {
      message.nak(); // fetched but not started before shutdown: hand it back for another worker now
      settled(message);
      return;
    }
    metrics.inflight(1);
    CompletableFuture<Void> done;
    try {
      done = processor.process(message);
    } catch (RuntimeException e) {
      LOG.error("processing {} failed; JetStream will redeliver it", message.getSubject(), e);
      done = CompletableFuture.completedFuture(null);
    }
    done.whenComplete((ignored, error) -> {
      metrics.inflight(-1);
      settled(message);
    });
  }

  private void settled(Message message) {
    inProgress.untrack(message);
    limits.releaseHeld(1);
    limits.finished();
    Runnable parked = limits.exit(message.getSubject());
    if (parked != null) {
      parked.run();
    }
    startReady();
  }

  /** Reads the consumer's pending count for {@code plonk_queue_pending}. */
  public void refreshPending() {
    try {
      metrics.pending(connection.jetStreamManagement().getConsumerInfo(AsyncCall.STREAM, settings.consumer())
          .getNumPending());
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      LOG.debug("cannot read consumer info: {}", e.toString());
    }
  }

  public boolean isRunning() {
    return running && loop != null && loop.isAlive();
  }

  /** Stops fetching, hands back fetched messages not started, and waits up to {@code timeout} for the calls in flight. */
  public boolean stop(Duration timeout) throws InterruptedException {
    running = false;
    if (loop != null) {
      loop.join(5000);
    }
    startReady();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!limits.nothingHeld() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    boolean finished = limits.nothingHeld();
    if (!finished) {
      LOG.warn("{} call(s) still running after {} s; JetStream will redeliver them", inProgress.size(),
          timeout.toSeconds());
    }
    return finished;
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
