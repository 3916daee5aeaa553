package dev.plonk.mesh.router;

import dev.plonk.api.v1alpha1.Provider;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/** The one place that maps a {@link Provider} to its {@link TrafficRouter}. */
public final class TrafficRouterFactory {
  private final Map<Provider, TrafficRouter> routers = new EnumMap<>(Provider.class);

  public TrafficRouterFactory(KubernetesClient client, String fieldManager) {
    for (Provider p : Provider.values()) {
      routers.put(p, switch (p) {
        case SMI -> new SmiTrafficSplitRouter(client, fieldManager);
        case GATEWAY_API -> new GatewayApiHttpRouteRouter(client, fieldManager);
      });
    }
  }

  /** One router per provider. */
  public Collection<TrafficRouter> all() {
    return routers.values();
  }

  public TrafficRouter forProvider(Provider provider) {
    TrafficRouter router = routers.get(provider);
    if (router == null) {
      throw new IllegalArgumentException("no traffic router for provider " + provider + ": expected one of "
          + routers.keySet());
    }
    return router;
  }
}
