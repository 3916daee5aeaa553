package dev.plonk.gateway.system;

import dev.plonk.gateway.metrics.GatewayMetrics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenFaaS provider operations on Kubernetes: functions are Deployments labelled {@code faas_function=<name>}
 * with a Service of the same name. Blocking (fabric8): call it off the event loop.
 */
public final class FunctionsApi {
  public static final String FUNCTION_LABEL = "faas_function";

  private final KubernetesClient client;
  private final GatewayMetrics metrics;

  public FunctionsApi(KubernetesClient client, GatewayMetrics metrics) {
    this.client = client;
    this.metrics = metrics;
  }

  public List<FunctionStatus> list(String namespace) {
    return client.apps().deployments().inNamespace(namespace).withLabel(FUNCTION_LABEL).list().getItems().stream()
        .map(this::status).toList();
  }

  public Optional<FunctionStatus> get(String namespace, String name) {
    Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (deployment == null || deployment.getMetadata().getLabels() == null
        || !deployment.getMetadata().getLabels().containsKey(FUNCTION_LABEL)) {
      return Optional.empty();
    }
    return Optional.of(status(deployment));
  }

  public boolean exists(String namespace, String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name).get() != null;
  }

  /** Creates or replaces the Deployment and Service of a function (server-side apply, field manager plonk-gateway). */
  public void apply(String namespace, FunctionDeployment function) {
    client.apps().deployments().inNamespace(namespace).resource(FunctionObjects.deployment(namespace, function))
        .fieldManager("plonk-gateway").forceConflicts().serverSideApply();
    client.services().inNamespace(namespace).resource(FunctionObjects.service(namespace, function))
        .fieldManager("plonk-gateway").forceConflicts().serverSideApply();
  }

  /** Deletes the Deployment and Service; false if there was no such function. */
  public boolean delete(String namespace, String name) {
    if (get(namespace, name).isEmpty()) {
      return false;
    }
    client.apps().deployments().inNamespace(namespace).withName(name).delete();
    client.services().inNamespace(namespace).withName(name).delete();
    return true;
  }

  /** Sets {@code spec.replicas}; false if there is no such function. */
  public boolean scale(String namespace, String name, int replicas) {
    if (get(namespace, name).isEmpty()) {
      return false;
    }
    client.apps().deployments().inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
    return true;
  }

  public List<String> namespaces() {
    return client.namespaces().list().getItems().stream().map(Namespace::getMetadata).map(m -> m.getName()).toList();
  }

  private FunctionStatus status(Deployment deployment) {
    var meta = deployment.getMetadata();
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    Container container = containers.isEmpty() ? null : containers.get(0);
    String envProcess = container == null || container.getEnv() == null ? null : container.getEnv().stream()
        .filter(e -> "fprocess".equals(e.getName())).map(EnvVar::getValue).findFirst().orElse(null);
    int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    int available = deployment.getStatus() == null || deployment.getStatus().getAvailableReplicas() == null ? 0
        : deployment.getStatus().getAvailableReplicas();
    String name = meta.getName();
    return new FunctionStatus(name, container == null ? null : container.getImage(), meta.getNamespace(), envProcess,
        metrics.invocationCount(name + "." + meta.getNamespace()), replicas, available,
        meta.getLabels() == null ? Map.of() : meta.getLabels(),
        meta.getAnnotations() == null ? Map.of() : meta.getAnnotations(), meta.getCreationTimestamp());
  }
}
