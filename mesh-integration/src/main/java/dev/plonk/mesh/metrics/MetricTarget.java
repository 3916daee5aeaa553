package dev.plonk.mesh.metrics;

/**
 * Names a query needs. {@code target} is the target (canary) Deployment, {@code primaryDeployment} its
 * {@code -primary} copy; {@code primary} and {@code canary} are the backend Services {@code <apex>-primary} and
 * {@code <apex>-canary} (the gateway's {@code backend} label).
 */
public record MetricTarget(String namespace, String apex, String target) {
  public String primaryDeployment() {
    return target + "-primary";
  }

  public String primary() {
    return apex + "-primary";
  }

  public String canary() {
    return apex + "-canary";
  }
}
