package dev.plonk.controller.alerts;

import dev.plonk.api.v1alpha1.Alert;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.controller.EventListener;
import dev.plonk.controller.analysis.DecisionEvent;
import dev.plonk.controller.hooks.HookCaller;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts every Event the controller records to the alerts whose severity admits it, in their provider's format. It all
 * happens off the reconcile thread: a provider that is down is tried {@value #ATTEMPTS} times, each bounded by
 * {@link #TIMEOUT}, then logged; the rollout never waits for it.
 */
public final class AlertSender implements EventListener {
  static final int ATTEMPTS = 3;
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
  private final AlertProviders providers;
  private final HookCaller http;
  private final Executor executor;

  /** @param executor where providers are looked up (a bounded pool; a full one drops the alert with a log line) */
  public AlertSender(AlertProviders providers, HookCaller http, Executor executor) {
    this.providers = providers;
    this.http = http;
    this.executor = executor;
  }

  /** Two threads for provider lookups, 256 alerts queued at most; idle threads end. */
  public static java.util.concurrent.ExecutorService boundedExecutor() {
    var pool = new java.util.concurrent.ThreadPoolExecutor(2, 2, 30, java.util.concurrent.TimeUnit.SECONDS,
        new java.util.concurrent.ArrayBlockingQueue<>(256), r -> {
          Thread t = new Thread(r, "plonk-alerts");
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public void recorded(Rollout rollout, DecisionEvent event) {
    if (rollout.getSpec() == null || rollout.getSpec().analysis.alerts.isEmpty()) {
      return;
    }
    AlertMessage message = AlertMessage.of(rollout, event);
    if (message.level() != dev.plonk.api.v1alpha1.Severity.ERROR && Muted.by(rollout, event)) {
      return;
    }
    for (Alert alert : rollout.getSpec().analysis.alerts) {
      if (!alert.severityOrDefault().admits(message.level())) {
        continue;
      }
      try {
        executor.execute(() -> send(rollout, alert, message));
      } catch (RejectedExecutionException e) {
        LOG.warn("alert '{}' of {}/{} dropped ({}): the controller's alert queue is full", alert.name,
            message.namespace(), message.name(), event.reason());
      }
    }
  }

  private void send(Rollout rollout, Alert alert, AlertMessage message) {
    var resolved = providers.find(rollout, alert);
    if (resolved.isEmpty()) {
      LOG.warn("alert '{}' of {}/{} not sent ({}): {}", alert.name, message.namespace(), message.name(),
          message.reason(), String.join("; ", providers.problems(rollout)));
      return;
    }
    var provider = resolved.get().provider();
    byte[] body = AlertFormat.render(provider.getSpec(), message).getBytes(StandardCharsets.UTF_8);
    http.post(resolved.get().address(), body, TIMEOUT, ATTEMPTS - 1).thenAccept(r -> {
      if (!r.ok()) {
        LOG.warn("alert '{}' of {}/{} ({}) to AlertProvider {}/{} ({}) failed: {}; the rollout goes on", alert.name,
            message.namespace(), message.name(), message.reason(), provider.getMetadata().getNamespace(),
            provider.getMetadata().getName(), provider.getSpec().type.wire(), r.describe());
      }
    });
  }
}
