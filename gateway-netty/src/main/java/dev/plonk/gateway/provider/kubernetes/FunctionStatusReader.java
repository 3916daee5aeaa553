package dev.plonk.gateway.provider.kubernetes;

import dev.plonk.gateway.provider.FunctionDeployment.Resources;
import dev.plonk.gateway.provider.FunctionStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a function's Deployment into an OpenFaaS {@link FunctionStatus} (pure), as faas-netes does: labels and
 * annotations come from the pod template (so {@code kubectl.kubernetes.io/last-applied-configuration}, which lives on
 * the Deployment, never shows, and no {@code kubectl.kubernetes.io/} key does), secrets from its secret volumes,
 * constraints from its nodeSelector. Under a Rollout the function is served by {@code <name>-primary} (plus the
 * target itself while a canary is analysed), so replicas and availability are the sum of both; a target scaled to 0
 * whose pods are still draining counts for nothing.
 */
public final class FunctionStatusReader {
  static final String ENV_PROCESS = "fprocess";
  private static final String KUBECTL_PREFIX = "kubectl.kubernetes.io/";

  private FunctionStatusReader() {}

  /**
   * @param target  the function's Deployment
   * @param primary the rollout-controller's {@code <name>-primary}, or null when the function is not under a Rollout
   */
  public static FunctionStatus status(Deployment target, Deployment primary) {
    PodSpec pod = target.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().isEmpty() ? new Container() : pod.getContainers().get(0);
    Map<String, String> envVars = new TreeMap<>();
    String envProcess = null;
    for (EnvVar e : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
      if (ENV_PROCESS.equals(e.getName())) {
        envProcess = e.getValue();
      } else if (e.getValue() != null) {
        envVars.put(e.getName(), e.getValue());
      }
    }
    var meta = target.getSpec().getTemplate().getMetadata();
    long replicas = replicas(target) + (primary == null ? 0 : replicas(primary));
    long available = primary == null ? available(target) : available(primary) + serving(target);
    boolean readOnly = container.getSecurityContext() != null
        && Boolean.TRUE.equals(container.getSecurityContext().getReadOnlyRootFilesystem());
    return new FunctionStatus(target.getMetadata().getName(), container.getImage(), target.getMetadata().getNamespace(),
        envProcess, envVars, constraints(pod), secrets(pod), filtered(meta == null ? null : meta.getLabels()),
        filtered(meta == null ? null : meta.getAnnotations()), resources(container, true), resources(container, false),
        readOnly, 0, replicas, available, target.getMetadata().getCreationTimestamp(), null);
  }

  private static long replicas(Deployment d) {
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  /** Under a Rollout the target is the canary: its pods serve only while it is scaled up (not while draining to 0). */
  private static long serving(Deployment target) {
    return Math.min(available(target), replicas(target));
  }

  private static long available(Deployment d) {
    return d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
  }

  private static Map<String, String> filtered(Map<String, String> map) {
    Map<String, String> out = new LinkedHashMap<>();
    if (map != null) {
      map.forEach((k, v) -> {
        if (!k.startsWith(KUBECTL_PREFIX)) {
          out.put(k, v);
        }
      });
    }
    return out;
  }

  private static List<String> constraints(PodSpec pod) {
    List<String> out = new ArrayList<>();
    if (pod.getNodeSelector() != null) {
      new TreeMap<>(pod.getNodeSelector()).forEach((k, v) -> out.add(k + "=" + v));
    }
    return out;
  }

  private static List<String> secrets(PodSpec pod) {
    List<String> out = new ArrayList<>();
    for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
      if (v.getProjected() != null && v.getProjected().getSources() != null) {
        v.getProjected().getSources().stream().filter(s -> s.getSecret() != null)
            .forEach(s -> out.add(s.getSecret().getName()));
      } else if (v.getSecret() != null) {
        out.add(v.getSecret().getSecretName());
      }
    }
    return out;
  }

  private static Resources resources(Container container, boolean limits) {
    if (container.getResources() == null) {
      return null;
    }
    Map<String, Quantity> q = limits ? container.getResources().getLimits() : container.getResources().getRequests();
    if (q == null || q.isEmpty()) {
      return null;
    }
    Resources r = new Resources(text(q.get("memory")), text(q.get("cpu")));
    return r.isEmpty() ? null : r;
  }

  private static String text(Quantity q) {
    return q == null ? null : q.toString();
  }
}
