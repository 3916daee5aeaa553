package dev.plonk.devstack.runtime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A replica's environment, built as the kubelet builds a container's: each {@code env} entry in order, a literal
 * {@code value} with {@code $(VAR)} expanded from the entries before it, or a downward-API {@code fieldRef}
 * ({@code metadata.name}, {@code metadata.namespace}, {@code metadata.labels['k']}, {@code metadata.annotations['k']},
 * {@code status.podIP}) read from the pod. Other sources (ConfigMap and Secret keys, resource fields) are not read by
 * the process runtime and leave their variable unset. The runtime's own variables ({@code PORT}, the replica's
 * loopback port, and {@code PLONK_HOME}) can be referenced, and win over a container's entry of the same name.
 */
record PodEnvironment(String podName, String namespace, ObjectMeta podMetadata, String podIp, Map<String, String> runtime) {
  private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
  private static final Pattern MAP_KEY = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  Map<String, String> of(Container container) {
    Map<String, String> env = new LinkedHashMap<>(runtime);
    for (EnvVar var : container.getEnv()) {
      String value = var.getValue() != null ? expand(var.getValue(), env)
          : var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null
              ? field(var.getValueFrom().getFieldRef()) : null;
      if (value != null) {
        env.put(var.getName(), value);
      }
    }
    env.putAll(runtime);
    return env;
  }

  private String field(ObjectFieldSelector ref) {
    String path = ref.getFieldPath();
    Matcher m = MAP_KEY.matcher(path);
    if (m.matches()) {
      Map<String, String> values = "labels".equals(m.group(1)) ? podMetadata.getLabels() : podMetadata.getAnnotations();
      return Objects.requireNonNullElse(values == null ? null : values.get(m.group(2)), "");
    }
    return switch (path) {
      case "metadata.name" -> podName;
      case "metadata.namespace" -> namespace;
      case "status.podIP" -> podIp;
      default -> throw new IllegalArgumentException("fieldRef " + path + " is not one the process runtime provides "
          + "(metadata.name, metadata.namespace, metadata.labels['k'], metadata.annotations['k'], status.podIP)");
    };
  }

  /** Expands {@code $(VAR)} from {@code env}, leaving unknown references as they are (as Kubernetes does). */
  static String expand(String value, Map<String, String> env) {
    Matcher m = VAR.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group(0))));
    }
    return m.appendTail(out).toString();
  }
}
