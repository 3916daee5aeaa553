package dev.plonk.controller.hooks;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import dev.plonk.api.v1alpha1.Durations;

/**
 * POSTs JSON to webhooks without blocking the caller: the JDK client's non-blocking I/O, completions on a small bounded
 * pool of its own, every attempt bounded by the hook's timeout and retried at most {@code retries} times. A call that
 * cannot even be queued fails at once ("controller busy"); nothing here can hold a reconcile thread.
 */
public final class HookCaller implements AutoCloseable {
  private final ExecutorService executor;
  private final HttpClient http;

  public HookCaller(int threads) {
    this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
        r -> {
          Thread t = new Thread(r, "plonk-webhooks");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    ((ThreadPoolExecutor) executor).allowCoreThreadTimeOut(true);
    this.http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  /** One round: the first 2xx ends it; else {@code 1 + retries} attempts, the last failure is the result. */
  public CompletableFuture<HookResult> post(String url, byte[] json, Duration timeout, int retries) {
    return attempt(url, json, timeout, retries, 1);
  }

  private CompletableFuture<HookResult> attempt(String url, byte[] json, Duration timeout, int retriesLeft, int n) {
    CompletableFuture<HookResult> one;
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
      one = http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          // the request timeout covers the headers; this bounds a body that never ends, too
          .orTimeout(timeout.toMillis() + 50, TimeUnit.MILLISECONDS)
          .handle((response, error) -> error == null
              ? new HookResult(response.statusCode() / 100 == 2, n, "HTTP " + response.statusCode())
              : new HookResult(false, n, failure(error, timeout)));
    } catch (RuntimeException e) {
      one = CompletableFuture.completedFuture(new HookResult(false, n, "not called: " + e.getMessage()));
    }
    return one.thenCompose(r -> r.ok() || retriesLeft == 0 ? CompletableFuture.completedFuture(r)
        : attempt(url, json, timeout, retriesLeft - 1, n + 1));
  }

  static String failure(Throwable error, Duration timeout) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return "timed out after " + Durations.promql(timeout);
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    if (cause instanceof java.util.concurrent.RejectedExecutionException) {
      return "not called: the controller's webhook queue is full";
    }
    if (cause instanceof IOException) {
      return "I/O error: " + cause.getMessage();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
