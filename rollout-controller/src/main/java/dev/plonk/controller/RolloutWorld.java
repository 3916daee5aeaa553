package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The Kubernetes side of a Rollout: the objects it owns and the writes the reconciler decided on. */
final class RolloutWorld {
  private final KubernetesClient client;
  private final ControllerSettings settings;
  private final TrafficRouterFactory routers;
  /** Weights this process last wrote or read per router object: a step costs one write, not a read and a write. */
  private final Map<String, Weights> knownWeights = new ConcurrentHashMap<>();
  private volatile Function<ResourceID, Optional<Deployment>> cache = id -> Optional.empty();

  RolloutWorld(KubernetesClient client, ControllerSettings settings) {
    this.client = client;
    this.settings = settings;
    this.routers = new TrafficRouterFactory(client, settings.fieldManager());
  }

  /** Reads Deployments from the informer's cache from now on (falls back to the apiserver on a miss). */
  void useCache(Function<ResourceID, Optional<Deployment>> informerCache) {
    this.cache = informerCache;
  }

  Deployment deployment(String namespace, String name) {
    return cache.apply(new ResourceID(name, namespace))
        .orElseGet(() -> client.apps().deployments().inNamespace(namespace).withName(name).get());
  }

  /** Creates the primary if absent; while initializing also the Services and the router at 100/0. */
  Deployment ensureBootstrap(Rollout rollout, Deployment target, Phase phase) {
    String ns = rollout.getMetadata().getNamespace();
    Deployment primary = deployment(ns, PrimaryDeployment.name(target.getMetadata().getName()));
    if (primary == null) {
      int replicas = Math.max(1, DeploymentReadiness.desiredReplicas(target));
      primary = apply(PrimaryDeployment.desired(target, replicas, owner(rollout)));
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

  /** Copies the target's current pod template into the primary, keeping the primary's replicas. */
  void promote(Rollout rollout, Deployment target, Deployment primary) {
    apply(PrimaryDeployment.desired(target, DeploymentReadiness.desiredReplicas(primary), owner(rollout)));
  }

  /** Makes the router's weights match the status; writes only when they differ. */
  void applyWeights(Rollout rollout, RolloutStatus status) {
    if (status.phase == null || status.phase == Phase.Initializing) {
      return;
    }
    Weights desired = Weights.canary(Desired.canaryWeight(status));
    TrafficRouter router = router(rollout);
    RouteTarget target = routeTarget(rollout);
    String key = key(rollout);
    if (desired.equals(knownWeights.get(key))) {
      return;
    }
    if (!router.getWeights(target).equals(Optional.of(desired))) {
      router.setWeights(target, desired);
    }
    knownWeights.put(key, desired);
  }

  /** The target runs as the canary during a rollout (with the primary's replicas) and is scaled to 0 otherwise. */
  void scaleTarget(Deployment target, Deployment primary, RolloutStatus status) {
    if (status.phase == null || status.phase == Phase.Initializing) {
      return;
    }
    int want = Desired.targetRuns(status) ? DeploymentReadiness.desiredReplicas(primary) : 0;
    if (DeploymentReadiness.desiredReplicas(target) != want) {
      scale(target, want);
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
    knownWeights.remove(key(rollout));
  }

  private String key(Rollout rollout) {
    Provider p = rollout.getSpec().provider == null ? settings.defaultProvider() : rollout.getSpec().provider;
    return rollout.getMetadata().getNamespace() + "/" + rollout.getSpec().apexName() + "/" + p;
  }

  private void scale(Deployment d, int replicas) {
    client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private <T extends HasMetadata> T apply(T resource) {
    return client.resource(resource).fieldManager(settings.fieldManager()).forceConflicts().serverSideApply();
  }

  private TrafficRouter router(Rollout rollout) {
    Provider p = rollout.getSpec().provider == null ? settings.defaultProvider() : rollout.getSpec().provider;
    return routers.forProvider(p);
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
