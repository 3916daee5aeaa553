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
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The Kubernetes side of a Rollout: the objects it owns and the writes the reconciler decided on. */
final class RolloutWorld {
  private final KubernetesClient client;
  private final ControllerSettings settings;
  private final TrafficRouterFactory routers;
  private final PrimaryAutoscaler autoscalers;
  private final PrimaryConfigs configs;
  private final RouteWatch routes = new RouteWatch();
  private volatile Function<ResourceID, Optional<Deployment>> cache = id -> Optional.empty();

  RolloutWorld(KubernetesClient client, ControllerSettings settings) {
    this.client = client;
    this.settings = settings;
    this.routers = new TrafficRouterFactory(client, settings.fieldManager());
    this.autoscalers = new PrimaryAutoscaler(client, settings.fieldManager());
    this.configs = new PrimaryConfigs(client, settings.fieldManager());
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
   * Creates the primary if absent (with its config copies and, with an autoscaler, its HPA copy); while initializing
   * also the Services and the router at 100/0.
   */
  Deployment ensureBootstrap(Rollout rollout, Deployment target, Phase phase, TargetRevision revision) {
    String ns = rollout.getMetadata().getNamespace();
    Deployment primary = deployment(ns, PrimaryDeployment.name(target.getMetadata().getName()));
    if (primary == null) {
      configs.copy(revision, owner(rollout));
      int replicas = Math.max(1, DeploymentReadiness.desiredReplicas(target));
      Deployment desired = PrimaryDeployment.desired(target, replicas, owner(rollout), revision.hash());
      if (rollout.getSpec().autoscalerRef != null) {
        // created, not applied: the replicas are then never a field this controller's applies own, so the HPA has them
        primary = client.resource(desired).create();
        autoscalers.copy(rollout, target, owner(rollout));
      } else {
        primary = apply(desired);
      }
    }
    if (phase == null || phase == Phase.Initializing) {
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
   * analysed revision: the state machine never asks otherwise, and this makes it impossible by construction.
   */
  void promote(Rollout rollout, Deployment target, Deployment primary, String analysedRevision, TargetRevision revision) {
    if (!revision.hash().equals(analysedRevision)) {
      throw new IllegalStateException("refusing to promote: the target carries revision " + revision.hash()
          + " but revision " + analysedRevision + " was analysed");
    }
    configs.copy(revision, owner(rollout));
    boolean autoscaled = rollout.getSpec().autoscalerRef != null;
    apply(PrimaryDeployment.desired(target, autoscaled ? null : DeploymentReadiness.desiredReplicas(primary),
        owner(rollout), revision.hash()));
    if (autoscaled) {
      autoscalers.copy(rollout, target, owner(rollout));
    }
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
        .withName(rollout.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
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
          .patch(PatchContext.of(PatchType.JSON_MERGE), noOwner);
    }
    for (String service : new String[] {owned.primary(), owned.canary()}) {
      if (client.services().inNamespace(ns).withName(service).get() != null) {
        client.services().inNamespace(ns).withName(service).patch(PatchContext.of(PatchType.JSON_MERGE), noOwner);
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
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
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
