package dev.plonk.gateway.provider.kubernetes;

import dev.plonk.gateway.provider.FunctionDeployment;
import dev.plonk.gateway.provider.FunctionProvider;
import dev.plonk.gateway.provider.FunctionStatus;
import dev.plonk.gateway.provider.LogSource;
import dev.plonk.gateway.provider.SecretStore;
import dev.plonk.gateway.routing.FunctionNamespaces;
import dev.plonk.gateway.routing.FunctionServices;
import dev.plonk.mesh.BackendNames;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@link FunctionProvider} over the Kubernetes API (fabric8), as faas-netes: a function is a Deployment labelled
 * {@code faas_function=<name>} with a Service of the same name. The rollout-controller's {@code <name>-primary}
 * Deployment is never listed as a function of its own; it counts towards its function's replicas.
 */
public final class KubernetesFunctionProvider implements FunctionProvider {
  private static final String FIELD_MANAGER = "plonk-gateway";
  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  private static final String ROLLOUT_CONTROLLER = "plonk-rollout-controller";

  private final KubernetesClient client;
  private final FunctionNamespaces namespaces;
  private final SecretStore secrets;
  private final LogSource logs;

  public KubernetesFunctionProvider(KubernetesClient client, FunctionNamespaces namespaces) {
    this.client = client;
    this.namespaces = namespaces;
    this.secrets = new KubernetesSecretStore(client);
    this.logs = new KubernetesLogSource(client);
  }

  @Override
  public List<String> namespaces() {
    return namespaces.served();
  }

  @Override
  public List<FunctionStatus> list(String namespace) {
    Map<String, Deployment> primaries = client.apps().deployments().inNamespace(namespace)
        .withLabel(MANAGED_BY, ROLLOUT_CONTROLLER).list().getItems().stream()
        .collect(Collectors.toMap(d -> d.getMetadata().getName(), Function.identity()));
    return client.apps().deployments().inNamespace(namespace).withLabel(FunctionServices.FUNCTION_LABEL).list()
        .getItems().stream().filter(d -> !isPrimary(d))
        .map(d -> FunctionStatusReader.status(d, primaries.get(BackendNames.primary(d.getMetadata().getName()))))
        .toList();
  }

  @Override
  public Optional<FunctionStatus> get(String namespace, String name) {
    Deployment target = function(namespace, name);
    if (target == null) {
      return Optional.empty();
    }
    Deployment primary = client.apps().deployments().inNamespace(namespace).withName(BackendNames.primary(name)).get();
    return Optional.of(FunctionStatusReader.status(target, primary != null && isPrimary(primary) ? primary : null));
  }

  @Override
  public void deploy(String namespace, FunctionDeployment function) {
    if (client.apps().deployments().inNamespace(namespace).withName(function.service()).get() != null) {
      throw new ConflictException("function " + function.service() + "." + namespace + " already exists; update it "
          + "with PUT /system/functions or delete it first");
    }
    apply(namespace, function);
  }

  @Override
  public boolean update(String namespace, FunctionDeployment function) {
    if (function(namespace, function.service()) == null) {
      return false;
    }
    apply(namespace, function);
    return true;
  }

  private void apply(String namespace, FunctionDeployment function) {
    Deployment deployment = FunctionObjects.deployment(namespace, function);
    var service = FunctionObjects.service(namespace, function);
    client.apps().deployments().inNamespace(namespace).resource(deployment).fieldManager(FIELD_MANAGER)
        .forceConflicts().serverSideApply();
    client.services().inNamespace(namespace).resource(service).fieldManager(FIELD_MANAGER).forceConflicts()
        .serverSideApply();
  }

  @Override
  public boolean delete(String namespace, String name) {
    if (function(namespace, name) == null) {
      return false;
    }
    client.apps().deployments().inNamespace(namespace).withName(name).delete();
    client.services().inNamespace(namespace).withName(name).delete();
    return true;
  }

  @Override
  public boolean scale(String namespace, String name, int replicas) {
    if (function(namespace, name) == null) {
      return false;
    }
    client.apps().deployments().inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
    return true;
  }

  @Override
  public SecretStore secrets() {
    return secrets;
  }

  @Override
  public LogSource logs() {
    return logs;
  }

  /** The function's Deployment, or null if there is none or it is not a function (or is a primary). */
  private Deployment function(String namespace, String name) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    boolean isFunction = d != null && d.getMetadata().getLabels() != null
        && d.getMetadata().getLabels().containsKey(FunctionServices.FUNCTION_LABEL) && !isPrimary(d);
    return isFunction ? d : null;
  }

  private static boolean isPrimary(Deployment d) {
    Map<String, String> labels = d.getMetadata().getLabels();
    return d.getMetadata().getName().endsWith(BackendNames.PRIMARY_SUFFIX) && labels != null
        && ROLLOUT_CONTROLLER.equals(labels.get(MANAGED_BY));
  }
}
