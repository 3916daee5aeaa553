package dev.plonk.gateway.provider.kubernetes;

import dev.plonk.gateway.provider.FunctionDeployment;
import dev.plonk.gateway.provider.FunctionProvider.InvalidRequestException;
import dev.plonk.gateway.routing.FunctionServices;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an OpenFaaS {@link FunctionDeployment} into the Deployment and Service of a function (pure), as faas-netes
 * does: secrets become one projected volume at {@value #SECRETS_PATH}, constraints ({@code key=value}) a
 * nodeSelector, limits and requests the container's resources, and a read-only root filesystem gets a writable
 * {@code /tmp}.
 */
public final class FunctionObjects {
  /** The port of the OpenFaaS watchdog in a function container, and of its Service. */
  public static final int FUNCTION_PORT = 8080;
  public static final String SECRETS_PATH = "/var/openfaas/secrets";
  static final String SECRETS_VOLUME = "projected-secrets";
  static final String TMP_VOLUME = "temp";

  private FunctionObjects() {}

  public static Deployment deployment(String namespace, FunctionDeployment f) {
    Map<String, String> labels = new LinkedHashMap<>(f.labels() == null ? Map.of() : f.labels());
    labels.put(FunctionServices.FUNCTION_LABEL, f.service());
    labels.put("app.kubernetes.io/name", f.service());
    labels.put("app.kubernetes.io/managed-by", "plonk-gateway");
    Map<String, String> annotations = f.annotations() == null ? Map.of() : f.annotations();
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    if (f.secrets() != null && !f.secrets().isEmpty()) {
      VolumeBuilder projected = new VolumeBuilder().withName(SECRETS_VOLUME);
      var sources = projected.withNewProjected();
      f.secrets().stream().distinct().forEach(s -> sources.addNewSource().withNewSecret().withName(s).endSecret().endSource());
      volumes.add(sources.endProjected().build());
      mounts.add(new VolumeMountBuilder().withName(SECRETS_VOLUME).withMountPath(SECRETS_PATH).withReadOnly(true).build());
    }
    if (f.readOnlyRootFilesystem()) {
      volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
      mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build());
    }
    return new DeploymentBuilder()
        .withNewMetadata().withName(f.service()).withNamespace(namespace).withLabels(labels)
        .withAnnotations(annotations).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels(FunctionServices.FUNCTION_LABEL, f.service()).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
        .withNewSpec().withNodeSelector(nodeSelector(f.constraints())).withVolumes(volumes)
        .addNewContainer().withName(f.service()).withImage(f.image()).withEnv(env(f)).withVolumeMounts(mounts)
        .addNewPort().withName("http").withContainerPort(FUNCTION_PORT).withProtocol("TCP").endPort()
        .withResources(new ResourceRequirementsBuilder().withLimits(quantities(f.limits()))
            .withRequests(quantities(f.requests())).build())
        .withNewSecurityContext().withReadOnlyRootFilesystem(f.readOnlyRootFilesystem()).endSecurityContext()
        .endContainer().endSpec().endTemplate().endSpec().build();
  }

  public static Service service(String namespace, FunctionDeployment f) {
    return new ServiceBuilder()
        .withNewMetadata().withName(f.service()).withNamespace(namespace)
        .addToLabels(FunctionServices.FUNCTION_LABEL, f.service())
        .addToLabels("app.kubernetes.io/managed-by", "plonk-gateway").endMetadata()
        .withNewSpec().addToSelector(FunctionServices.FUNCTION_LABEL, f.service())
        .addNewPort().withName("http").withPort(FUNCTION_PORT).withTargetPort(new IntOrString(FUNCTION_PORT))
        .withProtocol("TCP").endPort().endSpec().build();
  }

  private static List<EnvVar> env(FunctionDeployment f) {
    List<EnvVar> env = new ArrayList<>();
    if (f.envProcess() != null && !f.envProcess().isEmpty()) {
      env.add(new EnvVar(FunctionStatusReader.ENV_PROCESS, f.envProcess(), null));
    }
    new TreeMap<>(f.envVars() == null ? Map.<String, String>of() : f.envVars())
        .forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    return env;
  }

  /** {@code key=value} (or Swarm's {@code key==value}) constraints as a nodeSelector; anything else is refused. */
  static Map<String, String> nodeSelector(List<String> constraints) {
    Map<String, String> selector = new TreeMap<>();
    for (String constraint : constraints == null ? List.<String>of() : constraints) {
      String c = constraint.replace("==", "=");
      int eq = c.indexOf('=');
      if (eq <= 0 || eq == c.length() - 1 || c.indexOf('=', eq + 1) >= 0) {
        throw new InvalidRequestException("constraint '" + constraint + "' is not of the form key=value (a node label, "
            + "for example kubernetes.io/arch=amd64); Plonk turns constraints into the pod's nodeSelector");
      }
      selector.put(c.substring(0, eq).trim(), c.substring(eq + 1).trim());
    }
    return selector;
  }

  private static Map<String, Quantity> quantities(FunctionDeployment.Resources resources) {
    Map<String, Quantity> result = new HashMap<>();
    if (resources != null) {
      put(result, "memory", resources.memory());
      put(result, "cpu", resources.cpu());
    }
    return result;
  }

  private static void put(Map<String, Quantity> result, String name, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    try {
      Quantity.getAmountInBytes(new Quantity(value));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("'" + value + "' is not a Kubernetes quantity for " + name + "; write for "
          + "example 128Mi or 0.5 (cpu) or 100m");
    }
    result.put(name, new Quantity(value));
  }
}
