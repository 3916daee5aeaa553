package dev.plonk.mesh.metrics;

import dev.plonk.mesh.BackendNames;

/**
 * Names a query needs. {@code target} is the target (canary) Deployment, {@code primaryDeployment} its
 * {@code -primary} copy; {@code primary} and {@code canary} are the backend Services {@code <apex>-primary} and
 * {@code <apex>-canary} (the gateway's {@code backend} label).
 */
public record MetricTarget(String namespace, String apex, String target) {
  public String primaryDeployment() {
    return BackendNames.primary(target);
  }

  public String primary() {
    return BackendNames.primary(apex);
  }

  public String canary() {
    return BackendNames.canary(apex);
  }
}
