package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.controller.alerts.AlertProviders;
import dev.plonk.controller.alerts.AlertSender;
import dev.plonk.controller.analysis.AnalysisStateMachine;
import dev.plonk.controller.analysis.Cadence;
import dev.plonk.controller.analysis.Decision;
import dev.plonk.controller.analysis.DecisionEvent;
import dev.plonk.controller.analysis.Desired;
import dev.plonk.controller.analysis.Observation;
import dev.plonk.controller.analysis.Statuses;
import dev.plonk.controller.analysis.UserAction;
import dev.plonk.controller.load.LoadGenerators;
import dev.plonk.controller.hooks.HookCaller;
import dev.plonk.controller.hooks.HookCalls;
import dev.plonk.controller.hooks.HookNotifier;
import dev.plonk.controller.hooks.HookObserver;
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
  private final LoadGenerators load;
  private final HookCalls hookCalls;
  private final HookObserver hooks;
  private final HookNotifier notifier;
  private final AlertProviders alertProviders;

  public RolloutReconciler(KubernetesClient client, ControllerSettings settings, RolloutMetrics metrics, Clock clock,
      LoadGenerators load) {
    this.load = load;
    this.client = client;
    this.settings = settings;
    this.world = new RolloutWorld(client, settings);
    this.checks = new MetricCheckRunner(settings, client);
    this.metrics = metrics;
    this.clock = clock;
    // webhooks and alerts are called off the reconcile threads, each call bounded by its timeout
    HookCaller http = new HookCaller(4);
    this.hookCalls = new HookCalls(clock);
    this.hooks = new HookObserver(hookCalls, http);
    this.notifier = new HookNotifier(http, clock);
    this.alertProviders = new AlertProviders(client, clock);
    this.events = new EventRecorder(client, List.of(notifier,
        new AlertSender(alertProviders, http, AlertSender.boundedExecutor())));
  }

  @Override
  public List<EventSource<?, Rollout>> prepareEventSources(EventSourceContext<Rollout> context) {
    var deployments = TargetEventSource.create(context);
    world.useCache(deployments::get);
    List<EventSource<?, Rollout>> sources = new java.util.ArrayList<>(List.of(deployments));
    sources.addAll(ConfigEventSource.create(context, deployments));
    sources.addAll(world.routeWatches(context));
    return sources;
  }

  @Override
  public UpdateControl<Rollout> reconcile(Rollout rollout, Context<Rollout> context) {
    String ns = rollout.getMetadata().getNamespace();
    RolloutSpec spec = rollout.getSpec();
    Instant now = clock.instant();
    RolloutStatus before = rollout.getStatus() == null ? new RolloutStatus() : rollout.getStatus();
    if (spec.suspendOrFalse()) {
      return suspended(rollout, before, now);
    }
    Deployment target = world.deployment(ns, spec.targetRef.name);
    if (target == null) {
      return targetMissing(rollout, before, now);
    }
    TargetRevision revision = TargetRevision.read(client, target);
    Deployment primary = world.ensureBootstrap(rollout, target, before, revision);
    var parsed = UserAction.parse(action(rollout));
    if (parsed.isEmpty()) {
      events.record(rollout, DecisionEvent.warning("ActionIgnored", "unknown plonk.dev/action=" + action(rollout)
          + ": expected promote, abort or retry"));
      world.removeAction(rollout);
    }
    Cadence cadence = Cadence.of(spec, before, now);
    Observation obs = new Observation(now, revision.hash(),
        DeploymentReadiness.check(target, spec.analysis.canaryReadyThresholdOrDefault()),
        PrimaryDeployment.templateHash(primary),
        DeploymentReadiness.check(primary, spec.analysis.primaryReadyThresholdOrDefault()),
        parsed.orElse(UserAction.NONE), cadence, null).withHooks(hooks.observe(rollout, before, cadence, now));
    if (cadence.checksNeeded() && !obs.hooks().tickPending()) {
      obs = obs.withChecks(checks.run(ns, spec, before, now));
    }
    Decision decision = machine.next(spec, before, rollout.getMetadata().getGeneration(), obs);
    RolloutStatus next = decision.status();
    alertProviders.condition(rollout, next, now);
    if (revision.hash().equals(next.lastAppliedSpec)) {
      next.trackedConfigs = new java.util.ArrayList<>(revision.tracked());
    }
    if (!sameStatus(before, next)) {
      // commit the decision first (optimistic locking; a stale view fails with 409 and is retried), act on it after
      rollout = PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(rollout, context, r -> {
        r.setStatus(next);
        return r;
      });
    }
    if (decision.promotePrimary()) {
      world.promote(rollout, target, primary, next.lastAppliedSpec, revision);
    }
    List<DecisionEvent> recorded = new java.util.ArrayList<>(decision.events());
    world.applyWeights(rollout, before, next).ifPresent(recorded::add);
    if (cadence.due()) {
      recordTickToWeight(cadence, before, next);
    }
    recorded.addAll(world.settle(rollout, primary, before, next));
    world.scaleTarget(target, primary, next, spec.autoscalerRef != null);
    recorded.addAll(load.reconcile(ns, rollout.getMetadata().getName(), spec, next));
    for (DecisionEvent e : recorded) {
      events.record(rollout, e);
    }
    if (decision.consumedAction()) {
      world.removeAction(rollout);
    }
    if (HookNotifier.ended(before, next)) {
      notifier.postRollout(rollout, next, events::record);
      hookCalls.forget(rollout.getMetadata().getUid());
    }
    observeMetrics(rollout, before, next, now);
    // steady phases come back every interval, a safety net behind the route and config watches
    Duration requeue = decision.requeueAfter() == null ? cadence.interval() : decision.requeueAfter();
    return UpdateControl.<Rollout>noUpdate().rescheduleAfter(requeue);
  }

  /** spec.suspend: nothing is read or written but the status line that says so; the routes stay as they are. */
  private UpdateControl<Rollout> suspended(Rollout rollout, RolloutStatus before, Instant now) {
    stopLoad(rollout, "the rollout is suspended (spec.suspend)");
    String message = "suspended (spec.suspend): not reconciled, routes kept at canary weight "
        + Desired.canaryWeight(before);
    if (message.equals(before.message)) {
      return UpdateControl.<Rollout>noUpdate().rescheduleAfter(STEADY_RESYNC);
    }
    RolloutStatus next = Statuses.copy(before);
    next.message = message;
    next.observedGeneration = rollout.getMetadata().getGeneration();
    events.record(rollout, DecisionEvent.normal("Suspended", message));
    rollout.setStatus(next);
    return UpdateControl.patchStatus(rollout).rescheduleAfter(STEADY_RESYNC);
  }

  private UpdateControl<Rollout> targetMissing(Rollout rollout, RolloutStatus before, Instant now) {
    stopLoad(rollout, "the target Deployment is missing");
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

  private void stopLoad(Rollout rollout, String reason) {
    load.stop(rollout.getMetadata().getNamespace(), rollout.getMetadata().getName(), reason)
        .forEach(e -> events.record(rollout, e));
  }

  private void recordTickToWeight(Cadence cadence, RolloutStatus before, RolloutStatus next) {
    if (before.lastAnalysisTime != null && Desired.canaryWeight(before) != Desired.canaryWeight(next)) {
      Instant due = Instant.parse(before.lastAnalysisTime).plus(cadence.interval());
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
    stopLoad(rollout, "the Rollout is being deleted");
    if (rollout.getSpec().revertOnDeletionOrFalse()) {
      world.restoreOnDelete(rollout);
      events.record(rollout, DecisionEvent.normal("Finalized", "target " + rollout.getSpec().targetRef.name
          + " restored to the primary's replicas and the router removed; the apex Service selects the target again"));
    } else {
      world.orphanOnDelete(rollout);
      events.record(rollout, DecisionEvent.normal("Finalized", "revertOnDeletion is false: the primary keeps serving "
          + "at 100%; its Deployment, Services and route are kept without an owner"));
    }
    metrics.forget(rollout.getMetadata().getNamespace(), rollout.getMetadata().getName());
    hookCalls.forget(rollout.getMetadata().getUid());
    return DeleteControl.defaultDelete();
  }
}
