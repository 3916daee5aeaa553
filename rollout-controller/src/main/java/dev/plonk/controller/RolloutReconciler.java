package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Durations;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.controller.analysis.AnalysisStateMachine;
import dev.plonk.controller.analysis.Decision;
import dev.plonk.controller.analysis.DecisionEvent;
import dev.plonk.controller.analysis.Desired;
import dev.plonk.controller.analysis.Observation;
import dev.plonk.controller.analysis.Statuses;
import dev.plonk.controller.analysis.UserAction;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Reconciles one Rollout: observe the target and primary, ask the pure {@link AnalysisStateMachine} what comes next,
 * make the world match (primary template, router weights, canary scale), record Events and patch the status.
 */
public final class RolloutReconciler implements Reconciler<Rollout>, Cleaner<Rollout> {
  static final Duration STEADY_RESYNC = Duration.ofSeconds(60);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private final KubernetesClient client;
  private final ControllerSettings settings;
  private final RolloutWorld world;
  private final MetricCheckRunner checks;
  private final EventRecorder events;
  private final RolloutMetrics metrics;
  private final AnalysisStateMachine machine = new AnalysisStateMachine();
  private final Clock clock;

  public RolloutReconciler(KubernetesClient client, ControllerSettings settings, RolloutMetrics metrics, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.world = new RolloutWorld(client, settings);
    this.checks = new MetricCheckRunner(settings);
    this.events = new EventRecorder(client);
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Rollout>> prepareEventSources(EventSourceContext<Rollout> context) {
    var deployments = TargetEventSource.create(context);
    world.useCache(deployments::get);
    return List.of(deployments);
  }

  @Override
  public UpdateControl<Rollout> reconcile(Rollout rollout, Context<Rollout> context) {
    String ns = rollout.getMetadata().getNamespace();
    RolloutSpec spec = rollout.getSpec();
    Instant now = clock.instant();
    RolloutStatus before = rollout.getStatus() == null ? new RolloutStatus() : rollout.getStatus();
    Deployment target = world.deployment(ns, spec.targetRef.name);
    if (target == null) {
      return targetMissing(rollout, before, now);
    }
    String targetHash = TemplateHash.of(target.getSpec().getTemplate());
    Deployment primary = world.ensureBootstrap(rollout, target, before.phase);
    var parsed = UserAction.parse(action(rollout));
    if (parsed.isEmpty()) {
      events.record(rollout, DecisionEvent.warning("ActionIgnored", "unknown plonk.dev/action=" + action(rollout)
          + ": expected promote, abort or retry"));
      world.removeAction(rollout);
    }
    Observation obs = new Observation(now, targetHash, DeploymentReadiness.isReady(target),
        PrimaryDeployment.templateHash(primary), DeploymentReadiness.isReady(primary), parsed.orElse(UserAction.NONE), null);
    if (AnalysisStateMachine.checksNeeded(spec, before, now)) {
      obs = obs.withChecks(checks.run(ns, spec, before, now));
    }
    Decision decision = machine.next(spec, before, rollout.getMetadata().getGeneration(), obs);
    RolloutStatus next = decision.status();
    if (!sameStatus(before, next)) {
      // commit the decision first (optimistic locking; a stale view fails with 409 and is retried), act on it after
      rollout = PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(rollout, context, r -> {
        r.setStatus(next);
        return r;
      });
    }
    if (decision.promotePrimary()) {
      world.promote(rollout, target, primary);
    }
    world.applyWeights(rollout, next);
    if (obs.checks() != null || AnalysisStateMachine.analysisDue(spec, before, now)) {
      recordTickToWeight(spec, before, next);
    }
    world.scaleTarget(target, primary, next);
    for (DecisionEvent e : decision.events()) {
      events.record(rollout, e);
    }
    if (decision.consumedAction()) {
      world.removeAction(rollout);
    }
    observeMetrics(rollout, before, next, now);
    Duration requeue = decision.requeueAfter() == null ? STEADY_RESYNC : decision.requeueAfter();
    return UpdateControl.<Rollout>noUpdate().rescheduleAfter(requeue);
  }

  private UpdateControl<Rollout> targetMissing(Rollout rollout, RolloutStatus before, Instant now) {
    RolloutStatus next = Statuses.copy(before);
    String message = "target Deployment " + rollout.getSpec().targetRef.name + " not found in namespace "
        + rollout.getMetadata().getNamespace() + ": create it or fix spec.targetRef.name";
    next.message = message;
    next.observedGeneration = rollout.getMetadata().getGeneration();
    Condition ready = Statuses.find(before, RolloutStatus.READY);
    if (ready == null || !"TargetNotFound".equals(ready.getReason())) {
      events.record(rollout, DecisionEvent.warning("TargetNotFound", message));
    }
    Statuses.condition(next, RolloutStatus.READY, false, "TargetNotFound", message, next.observedGeneration, now);
    rollout.setStatus(next);
    return UpdateControl.patchStatus(rollout).rescheduleAfter(Duration.ofSeconds(10));
  }

  private void recordTickToWeight(RolloutSpec spec, RolloutStatus before, RolloutStatus next) {
    if (before.lastAnalysisTime != null && Desired.canaryWeight(before) != Desired.canaryWeight(next)) {
      Instant due = Instant.parse(before.lastAnalysisTime).plus(Durations.parse(spec.analysis.interval));
      metrics.tickToWeight(Math.max(0, Duration.between(due, clock.instant()).toNanos() / 1e9));
    }
  }

  private void observeMetrics(Rollout rollout, RolloutStatus before, RolloutStatus next, Instant now) {
    String ns = rollout.getMetadata().getNamespace();
    String name = rollout.getMetadata().getName();
    metrics.observe(ns, name, next);
    boolean finished = next.phase != before.phase && (next.phase == Phase.Succeeded || next.phase == Phase.Failed)
        && before.phase != Phase.Initializing && before.phase != null;
    if (finished) {
      Condition promoted = Statuses.find(before, RolloutStatus.PROMOTED);
      Instant start = promoted == null || promoted.getLastTransitionTime() == null ? now
          : Instant.parse(promoted.getLastTransitionTime());
      metrics.finished(next.phase == Phase.Succeeded, Duration.between(start, now).toMillis() / 1000.0);
    }
  }

  private static String action(Rollout rollout) {
    var annotations = rollout.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(Rollout.ACTION_ANNOTATION);
  }

  private static boolean sameStatus(RolloutStatus a, RolloutStatus b) {
    return Objects.equals(JSON.asJson(a), JSON.asJson(b));
  }

  @Override
  public ErrorStatusUpdateControl<Rollout> updateErrorStatus(Rollout rollout, Context<Rollout> context, Exception e) {
    RolloutStatus next = Statuses.copy(rollout.getStatus());
    next.message = "reconcile failed: " + e.getMessage();
    Statuses.condition(next, RolloutStatus.READY, false, "ReconcileError", next.message,
        rollout.getMetadata().getGeneration(), clock.instant());
    rollout.setStatus(next);
    return ErrorStatusUpdateControl.patchStatus(rollout);
  }

  @Override
  public DeleteControl cleanup(Rollout rollout, Context<Rollout> context) {
    world.restoreOnDelete(rollout);
    metrics.forget(rollout.getMetadata().getNamespace(), rollout.getMetadata().getName());
    events.record(rollout, DecisionEvent.normal("Finalized", "target " + rollout.getSpec().targetRef.name
        + " restored to the primary's replicas and the router removed; the apex Service selects the target again"));
    return DeleteControl.defaultDelete();
  }
}
