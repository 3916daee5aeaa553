package dev.plonk.controller.hooks;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.Webhook;
import dev.plonk.api.v1alpha1.WebhookType;
import dev.plonk.controller.EventListener;
import dev.plonk.controller.analysis.DecisionEvent;
import java.time.Clock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hooks that only hear about the rollout: {@code event} hooks get every Event the controller records, and
 * {@code post-rollout} hooks are called once when a revision ends (Succeeded or Failed). Both are fire and forget: a
 * failure is logged, and a failed post-rollout hook is recorded as a {@code PostRolloutHookFailed} Warning Event.
 */
public final class HookNotifier implements EventListener {
  private static final Logger LOG = LoggerFactory.getLogger(HookNotifier.class);
  private final HookCaller caller;
  private final Clock clock;

  public HookNotifier(HookCaller caller, Clock clock) {
    this.caller = caller;
    this.clock = clock;
  }

  @Override
  public void recorded(Rollout rollout, DecisionEvent event) {
    if (rollout.getSpec() == null) {
      return;
    }
    RolloutStatus status = rollout.getStatus();
    for (Webhook w : rollout.getSpec().analysis.webhooks) {
      if (w.type != WebhookType.EVENT) {
        continue;
      }
      WebhookPayload payload = WebhookPayload.event(rollout.getMetadata().getName(),
          rollout.getMetadata().getNamespace(), phase(status), status == null ? null : status.lastAppliedSpec,
          w.metadata, event.message(), event.warning(), clock.millis());
      caller.post(w.url, payload.toJson(), w.timeoutDuration(), w.retriesOrDefault()).thenAccept(r -> {
        if (!r.ok()) {
          LOG.warn("{}/{}: event webhook '{}' ({}) failed for {}: {}", rollout.getMetadata().getNamespace(),
              rollout.getMetadata().getName(), w.name, w.url, event.reason(), r.describe());
        }
      });
    }
  }

  /** Calls the post-rollout hooks of a revision that just ended; {@code record} records a Warning for each failure. */
  public void postRollout(Rollout rollout, RolloutStatus ended, BiConsumer<Rollout, DecisionEvent> record) {
    for (Webhook w : rollout.getSpec().analysis.webhooks) {
      if (w.type != WebhookType.POST_ROLLOUT) {
        continue;
      }
      WebhookPayload payload = new WebhookPayload(rollout.getMetadata().getName(),
          rollout.getMetadata().getNamespace(), phase(ended), ended.lastAppliedSpec, w.metadata);
      caller.post(w.url, payload.toJson(), w.timeoutDuration(), w.retriesOrDefault()).thenAccept(r -> {
        if (!r.ok()) {
          record.accept(rollout, DecisionEvent.warning("PostRolloutHookFailed", HookObserver.describe(w)
              + " failed after revision " + ended.lastAppliedSpec + " " + phase(ended) + ": " + r.describe()));
        }
      });
    }
  }

  public static boolean ended(RolloutStatus before, RolloutStatus next) {
    return next.phase != before.phase && (next.phase == Phase.Succeeded || next.phase == Phase.Failed)
        && before.phase != null && before.phase != Phase.Initializing;
  }

  private static String phase(RolloutStatus status) {
    return status == null || status.phase == null ? "" : status.phase.name();
  }
}
