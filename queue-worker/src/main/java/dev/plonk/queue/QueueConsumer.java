package dev.plonk.queue;

import dev.plonk.gateway.async.AsyncCall;
import dev.plonk.gateway.async.CallStreams;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch loop: a durable pull consumer on {@code plonk-calls} shared by all worker replicas (so the worker
 * scales out), fetching only as many messages as there are free concurrency slots, and handing each to the
 * {@link CallProcessor} on a worker thread. {@link #stop} stops fetching and waits for the calls in flight.
 */
public final class QueueConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);

  private final Connection connection;
  private final WorkerSettings settings;
  private final CallProcessor processor;
  private final ConcurrencyLimits limits;
  private final InProgressAcks inProgress;
  private final ExecutorService workers;
  private final QueueMetrics metrics;
  private volatile boolean running = true;
  private Thread loop;

  public QueueConsumer(Connection connection, WorkerSettings settings, CallProcessor processor,
      ConcurrencyLimits limits, InProgressAcks inProgress, ExecutorService workers, QueueMetrics metrics) {
    this.connection = connection;
    this.settings = settings;
    this.processor = processor;
    this.limits = limits;
    this.inProgress = inProgress;
    this.workers = workers;
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
        slots = limits.acquireFree(500);
        if (slots == 0 || !running) {
          continue;
        }
        List<Message> messages = subscription.fetch(slots, Duration.ofSeconds(1));
        for (Message message : messages) {
          if (message.isJetStream()) {
            slots--;
            dispatch(message);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } catch (RuntimeException e) {
        LOG.warn("fetch from {} failed ({}); retrying in 1 s", AsyncCall.STREAM, e.toString());
        pause();
      } finally {
        limits.release(slots);
      }
    }
  }

  private void dispatch(Message message) {
    inProgress.track(message);
    metrics.inflight(1);
    workers.execute(() -> {
      String function = message.getSubject();
      try {
        if (!running) {
          message.nak(); // fetched but not started before shutdown: hand it back for another worker now
          return;
        }
        limits.acquireFunction(function);
        try {
          processor.process(message);
        } finally {
          limits.releaseFunction(function);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.error("processing {} failed; JetStream will redeliver it", message.getSubject(), e);
      } finally {
        inProgress.untrack(message);
        metrics.inflight(-1);
        limits.release(1);
      }
    });
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

  /** Stops fetching, then waits up to {@code timeout} for the calls in flight to finish. */
  public boolean stop(Duration timeout) throws InterruptedException {
    running = false;
    if (loop != null) {
      loop.join(5000);
    }
    workers.shutdown();
    boolean finished = workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
