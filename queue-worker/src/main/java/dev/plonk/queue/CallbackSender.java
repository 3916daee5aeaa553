package dev.plonk.queue;

import dev.plonk.call.AsyncCall;
import dev.plonk.call.CallHeaders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a function's response (body and headers) to the call's {@code X-Callback-Url} with {@code X-Call-Id},
 * {@code X-Function-Status}, {@code X-Function-Name} and {@code X-Duration-Seconds}. A failed callback
 * (no response, 408, 429 or 5xx) is retried with backoff while the message stays unacknowledged (in-progress
 * acks keep it), so a crash redelivers it instead of losing it.
 */
public final class CallbackSender {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackSender.class);

  private final HttpClient http;
  private final RetryPolicy policy;
  private final Duration timeout;
  private final QueueMetrics metrics;

  /** The outcome of all attempts: delivered, or why not. */
  public record Outcome(boolean delivered, int attempts, String failure) {}

  public CallbackSender(HttpClient http, RetryPolicy policy, Duration timeout, QueueMetrics metrics) {
    this.http = http;
    this.policy = policy;
    this.timeout = timeout;
    this.metrics = metrics;
  }

  public Outcome send(AsyncCall call, CallResult result) {
    URI target;
    try {
      target = URI.create(call.callbackUrl());
      if (target.getScheme() == null || !target.getScheme().toLowerCase(Locale.ROOT).startsWith("http")) {
        return new Outcome(false, 0, "X-Callback-Url '" + call.callbackUrl() + "' is not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      return new Outcome(false, 0, "X-Callback-Url '" + call.callbackUrl() + "' is not a URL: " + e.getMessage());
    }
    String failure = null;
    for (int attempt = 1; attempt <= policy.attempts(); attempt++) {
      int status = post(target, call, result);
      metrics.callback(status);
      if (status >= 200 && status < 300) {
        return new Outcome(true, attempt, null);
      }
      failure = status == 0 ? "callback receiver " + target + " did not answer"
          : "callback receiver " + target + " answered " + status;
      if (status != 0 && !policy.isRetryable(status)) {
        return new Outcome(false, attempt, failure + " (not retried)");
      }
      if (attempt < policy.attempts() && !sleep(policy.delay(attempt, null, ThreadLocalRandom.current()::nextDouble))) {
        return new Outcome(false, attempt, failure + "; interrupted while waiting to retry");
      }
    }
    return new Outcome(false, policy.attempts(), failure + " on all " + policy.attempts() + " attempts");
  }

  private int post(URI target, AsyncCall call, CallResult result) {
    HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
        .POST(HttpRequest.BodyPublishers.ofByteArray(result.body()));
    copyResponseHeaders(result, request);
    request.setHeader(CallHeaders.CALL_ID, call.callId())
        .setHeader(CallHeaders.FUNCTION_STATUS, Integer.toString(result.status()))
        .setHeader(CallHeaders.FUNCTION_NAME, call.qualifiedName())
        .setHeader(CallHeaders.DURATION_SECONDS, String.format(Locale.ROOT, "%.6f", result.duration().toNanos() / 1e9));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      LOG.debug("callback for {} to {} failed: {}", call.callId(), target, e.toString());
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The function's response headers go with its body, as OpenFaaS's queue-worker does (minus hop-by-hop ones). */
  private static void copyResponseHeaders(CallResult result, HttpRequest.Builder request) {
    result.headers().forEach((name, values) -> {
      if (name != null && !FunctionInvoker.SKIPPED.contains(name.toLowerCase(Locale.ROOT))) {
        for (String value : values) {
          try {
            request.header(name, value);
          } catch (IllegalArgumentException e) {
            LOG.debug("function response header {} not passed to the callback: {}", name, e.getMessage());
          }
        }
      }
    });
  }

  private static boolean sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
