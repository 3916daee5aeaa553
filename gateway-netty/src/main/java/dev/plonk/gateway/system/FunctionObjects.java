package dev.plonk.gateway.system;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns an OpenFaaS {@link FunctionDeployment} into the Deployment and Service of a function (pure). */
public final class FunctionObjects {
  /** The port of the OpenFaaS watchdog in a function container, and of its Service. */
  public static final int FUNCTION_PORT = 8080;

  private FunctionObjects() {}

  public static Deployment deployment(String namespace, FunctionDeployment f) {
    Map<String, String> labels = new LinkedHashMap<>(f.labels() == null ? Map.of() : f.labels());
    labels.put(FunctionsApi.FUNCTION_LABEL, f.service());
    labels.put("app.kubernetes.io/name", f.service());
    labels.put("app.kubernetes.io/managed-by", "plonk-gateway");
    List<EnvVar> env = new ArrayList<>();
    if (f.envProcess() != null) {
      env.add(new EnvVar("fprocess", f.envProcess(), null));
    }
    new TreeMap<>(f.envVars() == null ? Map.<String, String>of() : f.envVars())
        .forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    return new DeploymentBuilder()
        .withNewMetadata().withName(f.service()).withNamespace(namespace).withLabels(labels)
        .withAnnotations(f.annotations() == null ? Map.of() : f.annotations()).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels(FunctionsApi.FUNCTION_LABEL, f.service()).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(labels)
        .withAnnotations(f.annotations() == null ? Map.of() : f.annotations()).endMetadata()
        .withNewSpec().addNewContainer().withName(f.service()).withImage(f.image()).withEnv(env)
        .addNewPort().withName("http").withContainerPort(FUNCTION_PORT).withProtocol("TCP").endPort()
        .withResources(new ResourceRequirementsBuilder().withLimits(quantities(f.limits()))
            .withRequests(quantities(f.requests())).build())
        .withNewSecurityContext().withReadOnlyRootFilesystem(Boolean.TRUE.equals(f.readOnlyRootFilesystem()))
        .endSecurityContext()
        .endContainer().endSpec().endTemplate().endSpec().build();
  }

  public static Service service(String namespace, FunctionDeployment f) {
    return new ServiceBuilder()
        .withNewMetadata().withName(f.service()).withNamespace(namespace)
        .addToLabels(FunctionsApi.FUNCTION_LABEL, f.service())
        .addToLabels("app.kubernetes.io/managed-by", "plonk-gateway").endMetadata()
        .withNewSpec().addToSelector(FunctionsApi.FUNCTION_LABEL, f.service())
        .addNewPort().withName("http").withPort(FUNCTION_PORT).withTargetPort(new IntOrString(FUNCTION_PORT))
        .withProtocol("TCP").endPort().endSpec().build();
  }

  private static Map<String, Quantity> quantities(FunctionDeployment.Resources resources) {
    Map<String, Quantity> result = new HashMap<>();
    if (resources != null) {
      if (resources.memory() != null && !resources.memory().isBlank()) {
        result.put("memory", new Quantity(resources.memory()));
      }
      if (resources.cpu() != null && !resources.cpu().isBlank()) {
        result.put("cpu", new Quantity(resources.cpu()));
      }
    }
    return result;
  }
}
