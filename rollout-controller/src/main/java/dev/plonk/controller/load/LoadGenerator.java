package dev.plonk.controller.load;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One Rollout's generated load: every {@value #TICK_MILLIS} ms it sends the requests its {@link Pacer} says are due,
 * each only if fewer than {@code concurrency} are in flight (else it is skipped and counted). It stops itself when
 * its lease runs out (the reconciler renews it while the analysis runs, so a controller that stops reconciling stops
 * loading too) or after {@code maxDuration}; {@link #stop} ends it at once.
 */
final class LoadGenerator {
  static final long TICK_MILLIS = 100;

  /** What it sent, for the LoadStopped Event and the metrics. */
  record Totals(long sent, long ok, long serverErrors, long clientErrors, long failed, long skipped) {
    String describe() {
      return sent + " requests sent (" + ok + " 2xx/3xx, " + clientErrors + " 4xx, " + serverErrors + " 5xx, " + failed
          + " without answer), " + skipped + " skipped at the concurrency limit";
    }
  }

  private final LoadPlan plan;
  private final HttpRequest request;
  private final HttpClient http;
  private final LoadMetrics metrics;
  private final LongSupplier nanos;
  private final Pacer pacer;
  private final Semaphore inFlight;
  private final long hardStopNanos;
  private final AtomicLong leaseUntilNanos = new AtomicLong();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong serverErrors = new AtomicLong();
  private final AtomicLong clientErrors = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private volatile String stopReason;
  private ScheduledFuture<?> ticks;

  LoadGenerator(LoadPlan plan, String authorization, HttpClient http, LoadMetrics metrics, Duration maxDuration,
      LongSupplier nanos) {
    this.plan = plan;
    this.request = plan.request(authorization);
    this.http = http;
    this.metrics = metrics;
    this.nanos = nanos;
    long now = nanos.getAsLong();
    this.pacer = new Pacer(plan.rate(), now);
    this.inFlight = new Semaphore(plan.concurrency());
    this.hardStopNanos = now + maxDuration.toNanos();
  }

  LoadGenerator start(ScheduledExecutorService scheduler, Duration lease) {
    renew(lease);
    metrics.active(plan, true);
    ticks = scheduler.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  LoadPlan plan() {
    return plan;
  }

  /** Keeps it running for {@code lease} more (from now), unless stopped. */
  void renew(Duration lease) {
    leaseUntilNanos.set(nanos.getAsLong() + lease.toNanos());
  }

  boolean running() {
    return !stopped.get();
  }

  /** Why it stopped by itself (lease or max duration), or null. */
  String stopReason() {
    return stopReason;
  }

  /** Stops sending (requests in flight finish on their own); returns the totals. Idempotent. */
  Totals stop(String reason) {
    if (stopped.compareAndSet(false, true)) {
      stopReason = reason;
      if (ticks != null) {
        ticks.cancel(false);
      }
      metrics.active(plan, false);
    }
    return totals();
  }

  Totals totals() {
    return new Totals(sent.get(), ok.get(), serverErrors.get(), clientErrors.get(), failed.get(), skipped.get());
  }

  private void tick() {
    long now = nanos.getAsLong();
    if (now - leaseUntilNanos.get() > 0) {
      stop("its lease ran out: the controller stopped renewing it (no reconcile of the analysis for a while)");
      return;
    }
    if (now - hardStopNanos > 0) {
      stop("it reached the controller's --load-max-duration");
      return;
    }
    for (int i = pacer.due(now); i > 0 && !stopped.get(); i--) {
      if (!inFlight.tryAcquire()) {
        skipped.incrementAndGet();
        metrics.request(plan, "skipped");
        continue;
      }
      sent.incrementAndGet();
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
        inFlight.release();
        metrics.request(plan, count(response, error));
      });
    }
  }

  private String count(HttpResponse<?> response, Throwable error) {
    if (error != null || response == null) {
      failed.incrementAndGet();
      return "error";
    }
    int code = response.statusCode();
    if (code >= 500) {
      serverErrors.incrementAndGet();
      return "5xx";
    }
    if (code >= 400) {
      clientErrors.incrementAndGet();
      return "4xx";
    }
    ok.incrementAndGet();
    return "2xx";
  }
}
