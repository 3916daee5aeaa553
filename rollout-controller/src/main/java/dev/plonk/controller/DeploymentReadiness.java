package dev.plonk.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/** A Deployment is ready when its controller saw the latest spec and all desired replicas are ready. */
public final class DeploymentReadiness {
  private DeploymentReadiness() {}

  public static int desiredReplicas(Deployment d) {
    Integer r = d.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  public static boolean isReady(Deployment d) {
    if (d == null) {
      return false;
    }
    DeploymentStatus s = d.getStatus();
    if (s == null || s.getObservedGeneration() == null || s.getObservedGeneration() < d.getMetadata().getGeneration()) {
      return false;
    }
    int ready = s.getReadyReplicas() == null ? 0 : s.getReadyReplicas();
    int updated = s.getUpdatedReplicas() == null ? ready : s.getUpdatedReplicas();
    int desired = desiredReplicas(d);
    return ready >= desired && updated >= desired;
  }
}
