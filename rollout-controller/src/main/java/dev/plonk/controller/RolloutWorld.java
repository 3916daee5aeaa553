package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.controller.analysis.DecisionEvent;
import dev.plonk.controller.analysis.Desired;
import dev.plonk.mesh.router.RouteTarget;
import dev.plonk.mesh.router.TrafficRouter;
import dev.plonk.mesh.router.TrafficRouterFactory;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** The Kubernetes side of a Rollout: the objects it owns and the writes the reconciler decided on. */
final class RolloutWorld {
  private final KubernetesClient client;
  private final ControllerSettings settings;
  private final TrafficRouterFactory routers;
  private final PrimaryAutoscaler autoscalers;
  private final PrimaryConfigs configs;
  private final PrimaryHistory history;
  private final RouteWatch routes = new RouteWatch();
  private volatile Function<ResourceID, Optional<Deployment>> cache = id -> Optional.empty();

  RolloutWorld(KubernetesClient client, ControllerSettings settings) {
    this.client = client;
    this.settings = settings;
    this.routers = new TrafficRouterFactory(client, settings.fieldManager());
    this.autoscalers = new PrimaryAutoscaler(client, settings.fieldManager());
    this.configs = new PrimaryConfigs(client, settings.fieldManager());
    this.history = new PrimaryHistory(client, settings.fieldManager());
  }

  /** Reads Deployments from the informer's cache from now on (falls back to the apiserver on a miss). */
  void useCache(Function<ResourceID, Optional<Deployment>> informerCache) {
    this.cache = informerCache;
  }

  /** The watches on the route objects of every provider the cluster serves. */
  List<EventSource<?, Rollout>> routeWatches(EventSourceContext<Rollout> context) {
    return routes.create(context, client, routers.all());
  }

  Deployment deployment(String namespace, String name) {
    return cache.apply(new ResourceID(name, namespace))
        .orElseGet(() -> client.apps().deployments().inNamespace(namespace).withName(name).get());
  }

  /**
   * Creates the primary if absent (with its config copies and, with an autoscaler, its HPA copy); for a new Rollout,
   * or a spec changed while initializing, also the Services and the router at 100/0.
   */
  Deployment ensureBootstrap(Rollout rollout, Deployment target, RolloutStatus before, TargetRevision revision) {
    String ns = rollout.getMetadata().getNamespace();
    Deployment primary = deployment(ns, PrimaryDeployment.name(target.getMetadata().getName()));
    if (primary == null) {
      configs.copy(revision, owner(rollout));
      int replicas = Math.max(1, DeploymentReadiness.desiredReplicas(target));
      Deployment desired = PrimaryDeployment.desired(target, replicas, owner(rollout), revision);
      if (rollout.getSpec().autoscalerRef != null) {
        // created, not applied: the replicas are then never a field this controller's applies own, so the HPA has them
        // (fabric8 has no field manager on create: this one write is recorded under its default manager)
        primary = client.resource(desired).create();
        autoscalers.copy(rollout, target, owner(rollout));
      } else {
        primary = apply(desired);
      }
    }
    // written once, before the status first says Initializing (a failed write leaves no status: the next pass writes
    // again), and again if the spec changes while initializing; not on every pass while the primary gets ready
    boolean specChanged = !Objects.equals(rollout.getMetadata().getGeneration(), before.observedGeneration);
    if (before.phase == null || (before.phase == Phase.Initializing && specChanged)) {
      RolloutSpec spec = rollout.getSpec();
      int port = spec.service.port;
      int targetPort = spec.service.targetPort == null ? port : spec.service.targetPort;
      for (Service s : RolloutServices.desired(ns, spec.apexName(), port, targetPort, PrimaryDeployment.selector(target),
          target.getSpec().getSelector().getMatchLabels(), owner(rollout))) {
        apply(s);
      }
      router(rollout).reconcile(routeTarget(rollout));
    }
    return primary;
  }

  /**
   * Copies the target's pod template into the primary, keeping the primary's replicas, but only if it is exactly the
   * analysed revision: the state machine never asks otherwise, and this makes it impossible by construction. The
   * primary's template from before is kept first ({@link PrimaryHistory}), and its config copies stay as they are.
   */
  void promote(Rollout rollout, Deployment target, Deployment primary, String analysedRevision, TargetRevision revision) {
    if (!revision.hash().equals(analysedRevision)) {
      throw new IllegalStateException("refusing to promote: the target carries revision " + revision.hash()
          + " but revision " + analysedRevision + " was analysed");
    }
    history.save(primary, owner(rollout));
    configs.copy(revision, owner(rollout));
    boolean autoscaled = rollout.getSpec().autoscalerRef != null;
    apply(PrimaryDeployment.desired(target, autoscaled ? null : DeploymentReadiness.desiredReplicas(primary),
        owner(rollout), revision));
    if (autoscaled) {
      autoscalers.copy(rollout, target, owner(rollout));
    }
  }

  /**
   * After a rollback, the primary runs the last promoted revision again: if it carries another one (a promotion that
   * never became ready), its template from before the promotion is put back, on the config copies it had. When a
   * promotion ends either way, the saved template and the config copies the primary no longer uses are deleted.
   * Runs on every reconcile and acts on what it reads, so a restart between the status and these writes loses nothing.
   */
  List<DecisionEvent> settle(Rollout rollout, Deployment primary, RolloutStatus before, RolloutStatus next) {
    String running = PrimaryDeployment.templateHash(primary);
    String promoted = next.lastPromotedSpec;
    List<DecisionEvent> out = new ArrayList<>();
    if (next.phase == Phase.Failed && primary != null && promoted != null && !promoted.equals(running)) {
      Optional<PodTemplateSpec> template = history.template(primary, promoted);
      if (template.isPresent()) {
        boolean autoscaled = rollout.getSpec().autoscalerRef != null;
        primary = apply(PrimaryDeployment.withTemplate(primary.getMetadata().getNamespace(),
            primary.getMetadata().getName(), primary.getSpec().getSelector().getMatchLabels(), template.get(),
            autoscaled ? null : DeploymentReadiness.desiredReplicas(primary), owner(rollout), promoted));
        out.add(DecisionEvent.warning("PrimaryReverted", "the primary runs revision " + promoted + " again, with the "
            + "template and configs it had before revision " + running + " was promoted"));
      } else if (before.phase != Phase.Failed) {
        out.add(DecisionEvent.warning("PrimaryNotReverted", "the primary keeps revision " + running + ": the template "
            + "of revision " + promoted + " was not saved (promoted before this controller version?); push revision "
            + promoted + "'s template to the target to restore it"));
      }
    }
    // only once the primary runs the promoted revision: until then the pods of the one before may still need its copies
    boolean ended = next.phase != before.phase && (next.phase == Phase.Succeeded || next.phase == Phase.Failed);
    if (primary != null && (!out.isEmpty() || ended) && Objects.equals(promoted, PrimaryDeployment.templateHash(primary))) {
      history.forget(rollout);
      configs.prune(rollout, primary.getSpec().getTemplate());
    }
    return out;
  }

  /**
   * Makes the live route match the status, read on every reconcile (from the route watch, which also wakes the Rollout
   * when someone edits its route): when the route differs although the status did not move, it is restored and an
   * Event returned.
   */
  Optional<DecisionEvent> applyWeights(Rollout rollout, RolloutStatus before, RolloutStatus next) {
    if (next.phase == null || next.phase == Phase.Initializing) {
      return Optional.empty();
    }
    Weights desired = Weights.canary(Desired.canaryWeight(next));
    TrafficRouter router = router(rollout);
    RouteTarget target = routeTarget(rollout);
    Optional<Weights> live = routes.weights(router, target);
    if (live.equals(Optional.of(desired))) {
      return Optional.empty();
    }
    routes.write(router, target, desired);
    boolean drift = before.phase != null && before.phase != Phase.Initializing
        && Desired.canaryWeight(before) == Desired.canaryWeight(next);
    if (!drift) {
      return Optional.empty();
    }
    String kind = routeKind(rollout);
    return Optional.of(DecisionEvent.warning("RouteDriftRepaired", kind + " " + target.apex() + " had "
        + live.map(w -> "primary/canary weights " + w.primary() + "/" + w.canary()).orElse("no valid weights")
        + ", not the " + desired.primary() + "/" + desired.canary() + " of phase " + next.phase + ": restored"));
  }

  /**
   * The target runs as the canary during a rollout, starting from the primary's current replicas, and is scaled to 0
   * otherwise. With an autoscaler, a running target belongs to its HPA: it is only ever scaled between 0 and running.
   */
  void scaleTarget(Deployment target, Deployment primary, RolloutStatus status, boolean autoscaled) {
    if (status.phase == null || status.phase == Phase.Initializing) {
      return;
    }
    int current = DeploymentReadiness.desiredReplicas(target);
    if (!Desired.targetRuns(status)) {
      if (current != 0) {
        scale(target, 0);
      }
      return;
    }
    int primaryNow = DeploymentReadiness.desiredReplicas(primary);
    if (current == 0 || (!autoscaled && current != primaryNow)) {
      scale(target, primaryNow);
    }
  }

  void removeAction(Rollout rollout) {
    client.resources(Rollout.class).inNamespace(rollout.getMetadata().getNamespace())
        .withName(rollout.getMetadata().getName()).patch(ControllerSettings.mergePatch(settings.fieldManager()),
            "{\"metadata\":{\"annotations\":{\"" + Rollout.ACTION_ANNOTATION + "\":null}}}");
  }

  /** Deleting a Rollout: the target gets the primary's replicas back, the router goes, the apex selects the target. */
  void restoreOnDelete(Rollout rollout) {
    String ns = rollout.getMetadata().getNamespace();
    RolloutSpec spec = rollout.getSpec();
    Deployment target = deployment(ns, spec.targetRef.name);
    Deployment primary = deployment(ns, PrimaryDeployment.name(spec.targetRef.name));
    if (target != null) {
      if (primary != null) {
        scale(target, DeploymentReadiness.desiredReplicas(primary));
      }
      int port = spec.service.port;
      apply(RolloutServices.service(ns, spec.apexName(), port, spec.service.targetPort == null ? port
          : spec.service.targetPort, target.getSpec().getSelector().getMatchLabels(), null));
    }
    router(rollout).finalize(routeTarget(rollout));
    routes.forget(routeTarget(rollout));
  }

  /**
   * Deleting a Rollout with revertOnDeletion false: everything stays as it serves now, with the route at 100/0 to the
   * primary, but nothing is owned by the Rollout any more, so the garbage collector leaves it.
   */
  void orphanOnDelete(Rollout rollout) {
    String ns = rollout.getMetadata().getNamespace();
    RolloutSpec spec = rollout.getSpec();
    RouteTarget owned = routeTarget(rollout);
    router(rollout).setWeights(new RouteTarget(ns, owned.apex(), owned.port(), null), Weights.PRIMARY_ONLY);
    routes.forget(owned);
    String noOwner = "{\"metadata\":{\"ownerReferences\":null}}";
    Deployment primary = deployment(ns, PrimaryDeployment.name(spec.targetRef.name));
    if (primary != null) {
      client.apps().deployments().inNamespace(ns).withName(primary.getMetadata().getName())
          .patch(ControllerSettings.mergePatch(settings.fieldManager()), noOwner);
    }
    for (String service : new String[] {owned.primary(), owned.canary()}) {
      if (client.services().inNamespace(ns).withName(service).get() != null) {
        client.services().inNamespace(ns).withName(service)
            .patch(ControllerSettings.mergePatch(settings.fieldManager()), noOwner);
      }
    }
    configs.orphan(rollout);
    autoscalers.orphan(rollout);
  }

  private String routeKind(Rollout rollout) {
    return rollout.getSpec().providerOr(settings.defaultProvider()) == Provider.SMI ? "TrafficSplit" : "HTTPRoute";
  }

  private void scale(Deployment d, int replicas) {
    client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName())
        .patch(ControllerSettings.mergePatch(settings.fieldManager()), "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private <T extends HasMetadata> T apply(T resource) {
    return client.resource(resource).fieldManager(settings.fieldManager()).forceConflicts().serverSideApply();
  }

  private TrafficRouter router(Rollout rollout) {
    return routers.forProvider(rollout.getSpec().providerOr(settings.defaultProvider()));
  }

  private static RouteTarget routeTarget(Rollout rollout) {
    return new RouteTarget(rollout.getMetadata().getNamespace(), rollout.getSpec().apexName(),
        rollout.getSpec().service.port, owner(rollout));
  }

  static OwnerReference owner(Rollout rollout) {
    return new OwnerReferenceBuilder().withApiVersion(rollout.getApiVersion()).withKind(rollout.getKind())
        .withName(rollout.getMetadata().getName()).withUid(rollout.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(false).build();
  }
}
