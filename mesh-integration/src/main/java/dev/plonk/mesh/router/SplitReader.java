package dev.plonk.mesh.router;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.smi_spec.split.v1alpha2.TrafficSplit;
import io.smi_spec.split.v1alpha2.trafficsplitspec.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the route objects that {@link SmiTrafficSplitRouter} and {@link GatewayApiHttpRouteRouter} write: the one
 * reader of that format, used by the routers themselves and by the gateway's direct mode.
 */
public final class SplitReader {
  private SplitReader() {}

  /** {@code split.smi-spec.io/v1alpha2 TrafficSplit}: {@code spec.service} and {@code spec.backends[].service/weight}. */
  public static Optional<Split> fromTrafficSplit(TrafficSplit split) {
    if (split.getSpec() == null || split.getSpec().getService() == null || split.getSpec().getBackends() == null) {
      return Optional.empty();
    }
    List<Split.Backend> backends = new ArrayList<>();
    for (Backends backend : split.getSpec().getBackends()) {
      if (backend.getService() != null) {
        int weight = backend.getWeight() == null ? 0 : Math.max(0, backend.getWeight().intValue());
        backends.add(new Split.Backend(backend.getService(), weight, null));
      }
    }
    return Optional.of(new Split(split.getSpec().getService(), "TrafficSplit", backends));
  }

  /**
   * {@code gateway.networking.k8s.io/v1 HTTPRoute} whose parentRef is a Service (GAMMA): the apex is that Service,
   * the backends are the first rule's backendRefs (weight defaults to 1, as the Gateway API says).
   */
  public static Optional<Split> fromHttpRoute(HTTPRoute route) {
    if (route.getSpec() == null || route.getSpec().getParentRefs() == null || route.getSpec().getRules() == null
        || route.getSpec().getRules().isEmpty()) {
      return Optional.empty();
    }
    Optional<String> apex = route.getSpec().getParentRefs().stream().filter(SplitReader::isService)
        .map(ParentReference::getName).findFirst();
    if (apex.isEmpty()) {
      return Optional.empty();
    }
    HTTPRouteRule rule = route.getSpec().getRules().get(0);
    List<Split.Backend> backends = new ArrayList<>();
    for (HTTPBackendRef ref : rule.getBackendRefs() == null ? List.<HTTPBackendRef>of() : rule.getBackendRefs()) {
      String kind = ref.getKind() == null ? "Service" : ref.getKind();
      if ("Service".equals(kind) && ref.getName() != null) {
        backends.add(new Split.Backend(ref.getName(), ref.getWeight() == null ? 1 : ref.getWeight(), ref.getPort()));
      }
    }
    return Optional.of(new Split(apex.get(), "HTTPRoute", backends));
  }

  private static boolean isService(ParentReference parent) {
    String group = parent.getGroup() == null ? "" : parent.getGroup();
    return "Service".equals(parent.getKind()) && (group.isEmpty() || "core".equals(group));
  }
}
