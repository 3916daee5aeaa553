package dev.plonk.mesh.router;

import dev.plonk.mesh.BackendNames;
import io.fabric8.kubernetes.api.model.OwnerReference;

/**
 * The Services a router splits between: the apex {@code <apex>} and its backends {@code <apex>-primary} and
 * {@code <apex>-canary}, all on {@code port}. {@code owner} (nullable) becomes the router object's owner reference.
 */
public record RouteTarget(String namespace, String apex, int port, OwnerReference owner) {
  public String primary() {
    return BackendNames.primary(apex);
  }

  public String canary() {
    return BackendNames.canary(apex);
  }
}
