package dev.plonk.controller;

import dev.plonk.mesh.BackendNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;

/** The Services of a rollout: {@code <apex>} and {@code <apex>-primary} select primary pods, {@code <apex>-canary} the target's. */
public final class RolloutServices {
  private RolloutServices() {}

  public static List<Service> desired(String namespace, String apex, int port, int targetPort,
      Map<String, String> primarySelector, Map<String, String> canarySelector, OwnerReference owner) {
    return List.of(
        service(namespace, apex, port, targetPort, primarySelector, null),
        service(namespace, BackendNames.primary(apex), port, targetPort, primarySelector, owner),
        service(namespace, BackendNames.canary(apex), port, targetPort, canarySelector, owner));
  }

  /** The apex Service; it carries no owner reference so that deleting the Rollout never takes the function's name away. */
  public static Service service(String namespace, String name, int port, int targetPort, Map<String, String> selector,
      OwnerReference owner) {
    Service s = new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels(ControllerSettings.MANAGED_BY, ControllerSettings.FIELD_MANAGER).endMetadata()
        .withNewSpec().withSelector(selector).addNewPort().withName("http").withProtocol("TCP").withPort(port)
        .withTargetPort(new IntOrString(targetPort)).endPort().endSpec()
        .build();
    if (owner != null) {
      s.getMetadata().setOwnerReferences(List.of(owner));
    }
    return s;
  }
}
