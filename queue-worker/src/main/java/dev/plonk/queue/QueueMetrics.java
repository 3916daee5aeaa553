package dev.plonk.queue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Duration;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The worker's Prometheus metrics, all {@code plonk_queue_*}. */
public final class QueueMetrics {
  private final Counter processed;
  private final Gauge inflight;
  private final Gauge pending;
  private final Counter retries;
  private final Histogram retryDelay;
  private final Counter callbacks;
  private final Counter deadLetters;

  public QueueMetrics(PrometheusRegistry registry) {
    processed = Counter.builder().name("plonk_queue_messages_processed_total")
        .help("Queued calls by final or intermediate outcome: success, failed (non-retryable status), retried, "
            + "dead_letter, malformed")
        .labelNames("function", "outcome").register(registry);
    inflight = Gauge.builder().name("plonk_queue_inflight").help("Calls being processed by this worker now")
        .register(registry);
    pending = Gauge.builder().name("plonk_queue_pending")
        .help("Messages not yet delivered to any worker, from the JetStream consumer info").register(registry);
    retries = Counter.builder().name("plonk_queue_retries_total")
        .help("Calls put back on the queue with a delay (JetStream nak) to be retried").register(registry);
    retryDelay = Histogram.builder().name("plonk_queue_retry_delay_seconds")
        .help("Delay asked of JetStream for each retry (the larger of the backoff and the function's Retry-After)")
        .classicUpperBounds(0.5, 1, 2, 5, 10, 30, 60, 120, 300).classicOnly().register(registry);
    callbacks = Counter.builder().name("plonk_queue_callbacks_total")
        .help("Callback attempts by the receiver's HTTP status; code=\"error\" when it did not answer")
        .labelNames("code").register(registry);
    deadLetters = Counter.builder().name("plonk_queue_dead_letter_total")
        .help("Messages published to the dead-letter stream plonk-calls-dlq").register(registry);
  }

  public void processed(String function, String outcome) {
    processed.labelValues(function, outcome).inc();
  }

  public void inflight(int delta) {
    inflight.inc(delta);
  }

  public void pending(long value) {
    pending.set(value);
  }

  public void retry(Duration delay) {
    retries.inc();
    retryDelay.observe(delay.toMillis() / 1000.0);
  }

  public void callback(int status) {
    callbacks.labelValues(status == 0 ? "error" : Integer.toString(status)).inc();
  }

  public void deadLetter() {
    deadLetters.inc();
  }
}
