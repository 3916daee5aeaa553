package dev.plonk.queue;

import dev.plonk.main.GatewayCredentials;

import dev.plonk.main.AdminServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the worker together and owns its lifecycle: connect, consume, and a graceful {@link #close()}. */
public final class QueueWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);
  /** Largest function response kept for the callback (the gateway's default body limit). */
  private static final int MAX_BODY_BYTES = 20 * 1024 * 1024;

  private final WorkerSettings settings;
  private final Connection connection;
  private final ScheduledExecutorService scheduler;
  private final QueueConsumer consumer;
  private final AdminServer http;
  private final GatewayClient functionClient;
  private final ExecutorService blocking;
  private final InProgressAcks inProgress;
  private volatile boolean closing;

  public QueueWorker(WorkerSettings settings, Options natsOptions) throws Exception {
    this.settings = settings;
    PrometheusRegistry registry = new PrometheusRegistry();
    QueueMetrics metrics = new QueueMetrics(registry);
    connection = Nats.connect(natsOptions);
    scheduler = Executors.newSingleThreadScheduledExecutor(daemon("plonk-queue-timer"));
    HttpClient httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    functionClient = new GatewayClient(settings.gatewayUrl(), Duration.ofSeconds(5), settings.callTimeout(),
        MAX_BODY_BYTES);
    // callbacks (with their retry waits) and dead letters (waiting for JetStream) run here, never on the event loop
    blocking = Executors.newFixedThreadPool(settings.maxInflight(), daemon("plonk-queue-callback"));
    CallProcessor processor = new CallProcessor(
        new FunctionSettings(httpClient, settings.gatewayUrl(), settings.retry(), settings.annotationsTtl(),
            GatewayCredentials.authorization(settings.gatewaySecretDir())),
        new FunctionInvoker(functionClient, settings.gatewayUrl(), Clock.systemUTC()),
        new CallbackSender(httpClient, settings.callbackRetry(), settings.callbackTimeout(), metrics),
        new DeadLetters(connection.jetStream(), metrics), metrics, blocking);
    inProgress = new InProgressAcks(settings.ackWait());
    consumer = new QueueConsumer(connection, settings, processor,
        new ConcurrencyLimits(settings.maxInflight(), settings.perFunctionInflight()),
        inProgress, metrics);
    consumer.start();
    scheduler.scheduleWithFixedDelay(consumer::refreshPending, 0, 2, TimeUnit.SECONDS);
    http = settings.port() == 0 ? null
        : new AdminServer("queue-worker", settings.bind(), settings.port(), registry, this::healthProblem,
            this::healthProblem);
  }

  /** Null when healthy, else the reason /healthz and /readyz answer 503. */
  String healthProblem() {
    if (closing) {
      return "shutting down";
    }
    if (connection.getStatus() != Connection.Status.CONNECTED) {
      return "NATS connection is " + connection.getStatus();
    }
    return consumer.isRunning() ? null : "the fetch loop has stopped";
  }

  /** Graceful shutdown: stop fetching, finish the calls in flight (bounded), flush acks, disconnect. */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    LOG.info("shutting down: no new fetches, waiting up to {} s for calls in flight",
        settings.shutdownTimeout().toSeconds());
    consumer.stop(settings.shutdownTimeout());
    blocking.shutdown();
    inProgress.close();
    scheduler.shutdownNow();
    try {
      connection.flush(Duration.ofSeconds(2));
    } catch (Exception e) {
      LOG.warn("could not flush the last acks ({}); those messages will be redelivered", e.toString());
    }
    connection.close();
    functionClient.close();
    if (http != null) {
      http.close();
    }
    LOG.info("stopped");
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
