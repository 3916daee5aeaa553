package dev.plonk.queue;

import dev.plonk.call.AsyncCall.MalformedCallException;
import dev.plonk.call.AsyncCall;
import io.nats.client.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one queued call to its final outcome and only then acks the message:
 * <ul>
 *   <li>malformed payload: dead letter, ack;</li>
 *   <li>retryable failure with attempts left: nak with the backoff delay (the retry lives in JetStream, not here);</li>
 *   <li>otherwise the outcome is final: callback (if asked), dead letter when retries ran out or the callback
 *       failed, then ack.</li>
 * </ul>
 * The attempt number is JetStream's delivery count, so it survives worker crashes. If the dead letter cannot be
 * stored, the message is nak'ed to come back later: nothing is dropped silently. The common path (call, then
 * ack or nak) never blocks a thread; callbacks and dead letters, which wait, run on {@code blocking}.
 */
public final class CallProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(CallProcessor.class);
  private static final Duration STORE_FAILURE_DELAY = Duration.ofSeconds(5);

  private final FunctionSettings settings;
  private final FunctionInvoker invoker;
  private final CallbackSender callbacks;
  private final DeadLetters deadLetters;
  private final QueueMetrics metrics;
  private final Executor blocking;

  public CallProcessor(FunctionSettings settings, FunctionInvoker invoker, CallbackSender callbacks,
      DeadLetters deadLetters, QueueMetrics metrics, Executor blocking) {
    this.settings = settings;
    this.invoker = invoker;
    this.callbacks = callbacks;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.blocking = blocking;
  }

  /** Completes (never exceptionally) once the message is acked or nak'ed. */
  public CompletableFuture<Void> process(Message message) {
    long attempt = message.metaData().deliveredCount();
    AsyncCall call;
    try {
      call = AsyncCall.fromJson(message.getData());
    } catch (MalformedCallException e) {
      return CompletableFuture.runAsync(() ->
          finish(message, null, "malformed", "malformed message: " + e.getMessage(), attempt, null), blocking);
    }
    return settings.retryPolicy(call)
        .thenCompose(policy -> invoker.invoke(call).thenCompose(result -> decide(message, call, attempt, policy, result)))
        .exceptionally(e -> {
          LOG.error("call {} to {} failed unexpectedly on attempt {}; it will be redelivered", call.callId(),
              call.qualifiedName(), attempt, e);
          message.nakWithDelay(STORE_FAILURE_DELAY);
          return null;
        });
  }

  private CompletableFuture<Void> decide(Message message, AsyncCall call, long attempt, RetryPolicy policy,
      CallResult result) {
    boolean retryable = !result.isSuccess() && policy.isRetryable(result.status());
    if (retryable && attempt < policy.attempts()) {
      Duration delay = policy.delay(attempt, result.retryAfter(), ThreadLocalRandom.current()::nextDouble);
      LOG.info("call {} to {}: {} on attempt {}/{}; retrying in {} ms", call.callId(), call.qualifiedName(),
          result.describe(), attempt, policy.attempts(), delay.toMillis());
      message.nakWithDelay(delay);
      metrics.retry(delay);
      metrics.processed(call.qualifiedName(), "retried");
      return CompletableFuture.completedFuture(null);
    }
    String reason = retryable ? "function " + call.qualifiedName() + " gave " + result.describe()
        + " on the last of " + policy.attempts() + " attempts" : null;
    Integer status = result.status() == 0 ? null : result.status();
    if (!result.isSuccess() && !retryable) {
      LOG.info("call {} to {}: {} is not retried (retried: {}); the outcome is final", call.callId(),
          call.qualifiedName(), result.describe(), policy.codes());
    }
    if (call.callbackUrl() == null || call.callbackUrl().isBlank()) {
      if (reason == null) {
        finish(message, call, result.isSuccess() ? "success" : "failed", null, attempt, status);
        return CompletableFuture.completedFuture(null);
      }
      return CompletableFuture.runAsync(() -> finish(message, call, "dead_letter", reason, attempt, status), blocking);
    }
    return CompletableFuture.runAsync(() -> {
      CallbackSender.Outcome callback = callbacks.send(call, result);
      String why = reason;
      if (!callback.delivered()) {
        why = (why == null ? "" : why + "; ") + "callback failed after " + callback.attempts() + " attempt(s): "
            + callback.failure();
      }
      String outcome = why != null ? "dead_letter" : result.isSuccess() ? "success" : "failed";
      finish(message, call, outcome, why, attempt, status);
    }, blocking);
  }

  /** Dead-letters when there is a reason (blocking: waits for JetStream), then acks; if that fails, naks. */
  private void finish(Message message, AsyncCall call, String outcome, String reason, long attempt, Integer status) {
    String function = call == null ? "unknown" : call.qualifiedName();
    if (reason != null) {
      try {
        deadLetters.publish(message, call, reason, attempt, status);
        LOG.warn("dead-lettered {} ({}): {}", call == null ? message.getSubject() : call.callId(), function, reason);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        LOG.error("cannot store the dead letter for {} ({}); the message will be redelivered: {}", function,
            reason, e.toString());
        message.nakWithDelay(STORE_FAILURE_DELAY);
        return;
      }
    }
    message.ack();
    metrics.processed(function, outcome);
  }
}
