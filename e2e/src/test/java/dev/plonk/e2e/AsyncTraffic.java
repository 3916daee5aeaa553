package dev.plonk.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady {@code /async-function} calls through the gateway while a rollout runs, bounded in time and count, each
 * with {@code X-Callback-Url}; the callbacks (and so the version that served each call) arrive at the receiver.
 */
final class AsyncTraffic implements AutoCloseable {
  private static final Duration MAX_DURATION = Duration.ofMinutes(6);
  private static final long MAX_CALLS = 30_000;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final HttpRequest request;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final Thread thread;

  AsyncTraffic(String url, String callbackUrl) {
    request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
        .header("X-Callback-Url", callbackUrl).POST(HttpRequest.BodyPublishers.ofString("queued ping")).build();
    thread = new Thread(this::run, "e2e-async-traffic");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long deadline = System.nanoTime() + MAX_DURATION.toNanos();
    for (long n = 0; n < MAX_CALLS && running.get() && System.nanoTime() < deadline; n++) {
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        (status == 202 ? accepted : refused).incrementAndGet();
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        refused.incrementAndGet();
      }
    }
  }

  /** Calls the gateway queued (202). */
  long accepted() {
    return accepted.get();
  }

  /** Calls the gateway did not queue (any other status, or no answer). */
  long refused() {
    return refused.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }
}
