package dev.plonk.gateway.routing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the weighted backends of an apex Service from the routing objects the rollout-controller writes. */
public final class SplitParsing {
  private SplitParsing() {}

  /** An apex Service name and its split. */
  public record ApexSplit(String apex, Split split) {}

  /** {@code split.smi-spec.io/v1alpha2 TrafficSplit}: {@code spec.service} and {@code spec.backends[].service/weight}. */
  public static Optional<ApexSplit> fromTrafficSplit(GenericKubernetesResource ts) {
    Object specValue = ts.getAdditionalProperties().get("spec");
    if (!(specValue instanceof Map<?, ?> spec) || !(spec.get("service") instanceof String apex)
        || !(spec.get("backends") instanceof List<?> list)) {
      return Optional.empty();
    }
    List<Split.Backend> backends = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> backend && backend.get("service") instanceof String service) {
        backends.add(new Split.Backend(service, weight(backend.get("weight")), null));
      }
    }
    return Optional.of(new ApexSplit(apex, new Split("TrafficSplit", backends)));
  }

  /**
   * {@code gateway.networking.k8s.io/v1 HTTPRoute} whose parentRef is a Service (GAMMA): the apex is that Service,
   * the backends are the first rule's backendRefs (weight defaults to 1, as the Gateway API says).
   */
  public static Optional<ApexSplit> fromHttpRoute(HTTPRoute route) {
    if (route.getSpec() == null || route.getSpec().getParentRefs() == null || route.getSpec().getRules() == null
        || route.getSpec().getRules().isEmpty()) {
      return Optional.empty();
    }
    String apex = null;
    for (ParentReference parent : route.getSpec().getParentRefs()) {
      String group = parent.getGroup() == null ? "" : parent.getGroup();
      if ("Service".equals(parent.getKind()) && (group.isEmpty() || "core".equals(group))) {
        apex = parent.getName();
        break;
      }
    }
    if (apex == null) {
      return Optional.empty();
    }
    HTTPRouteRule rule = route.getSpec().getRules().get(0);
    List<Split.Backend> backends = new ArrayList<>();
    if (rule.getBackendRefs() != null) {
      for (HTTPBackendRef ref : rule.getBackendRefs()) {
        String kind = ref.getKind() == null ? "Service" : ref.getKind();
        if ("Service".equals(kind) && ref.getName() != null) {
          backends.add(new Split.Backend(ref.getName(), ref.getWeight() == null ? 1 : ref.getWeight(), ref.getPort()));
        }
      }
    }
    return Optional.of(new ApexSplit(apex, new Split("HTTPRoute", backends)));
  }

  private static int weight(Object value) {
    if (value instanceof Number n) {
      return Math.max(0, n.intValue());
    }
    if (value instanceof String s) {
      try {
        return Math.max(0, Integer.parseInt(s.trim()));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }
}
