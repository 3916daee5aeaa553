package dev.plonk.gateway.routing;

import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;

/**
 * Which Services the gateway may route to: only those of functions. A Service is a function's if it carries the
 * label {@code faas_function} (the gateway's own deploys), or selects pods by {@code faas_function} (OpenFaaS's
 * convention for functions applied with kubectl), or was made by the rollout-controller for a Rollout (the apex and its
 * {@code -primary} / {@code -canary}). The {@code kubernetes} Service is never routable, whatever its labels.
 */
public final class FunctionServices {
  public static final String FUNCTION_LABEL = "faas_function";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String ROLLOUT_CONTROLLER = "plonk-rollout-controller";

  private FunctionServices() {}

  public static boolean routable(Service service) {
    if ("kubernetes".equals(service.getMetadata().getName())) {
      return false;
    }
    Map<String, String> labels = service.getMetadata().getLabels();
    Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
    return labels != null && (labels.containsKey(FUNCTION_LABEL) || ROLLOUT_CONTROLLER.equals(labels.get(MANAGED_BY)))
        || selector != null && selector.containsKey(FUNCTION_LABEL);
  }
}
