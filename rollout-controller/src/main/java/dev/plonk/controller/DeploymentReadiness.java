package dev.plonk.controller;

import dev.plonk.controller.analysis.Readiness;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Objects;

/**
 * Readiness as Flagger judges it, in this order: the Deployment controller has observed the latest generation, the
 * Deployment has not exceeded its own progress deadline, it wants at least one replica, every desired replica is
 * updated, no old replica is still terminating, and at least {@code threshold}% of the updated replicas are available.
 * The first failing check is the reason.
 */
public final class DeploymentReadiness {
  private DeploymentReadiness() {}

  public static int desiredReplicas(Deployment d) {
    Integer r = d.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  /** @param thresholdPercent 1..100: the share of updated replicas that must be available */
  public static Readiness check(Deployment d, int thresholdPercent) {
    if (d == null) {
      return Readiness.waiting("the Deployment does not exist");
    }
    DeploymentStatus s = d.getStatus();
    long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L);
    if (s == null || s.getObservedGeneration() == null || s.getObservedGeneration() < generation) {
      return Readiness.waiting("the Deployment controller has not observed generation " + generation + " yet");
    }
    DeploymentCondition progressing = s.getConditions() == null ? null : s.getConditions().stream()
        .filter(c -> "Progressing".equals(c.getType())).findFirst().orElse(null);
    if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.getReason())) {
      return Readiness.waiting("the Deployment exceeded its progressDeadlineSeconds: " + progressing.getMessage());
    }
    int desired = desiredReplicas(d);
    if (desired == 0) {
      // as Flagger's "no pods available": nothing at 0 replicas is ready, or a canary just scaled up from 0, read from
      // a cache that has not seen the scale-up yet, would pass as ready (seen on the real node: promoted unready pods)
      return Readiness.waiting("the Deployment is scaled to 0 replicas");
    }
    int updated = intOr0(s.getUpdatedReplicas());
    int replicas = intOr0(s.getReplicas());
    int available = intOr0(s.getAvailableReplicas());
    if (updated < desired) {
      return Readiness.waiting(updated + " of " + desired + " new replicas updated");
    }
    if (replicas > updated) {
      return Readiness.waiting((replicas - updated) + " old replicas pending termination");
    }
    int needed = (int) Math.ceil(updated * thresholdPercent / 100.0);
    if (available < needed) {
      return Readiness.waiting(available + " of " + updated + " updated replicas available (needs " + needed
          + ", readyThreshold " + thresholdPercent + "%)");
    }
    return Readiness.READY;
  }

  private static int intOr0(Integer i) {
    return i == null ? 0 : i;
  }
}
