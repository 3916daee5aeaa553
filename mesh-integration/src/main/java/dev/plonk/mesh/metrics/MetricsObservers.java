package dev.plonk.mesh.metrics;

import dev.plonk.api.v1alpha1.MetricsObserverKind;
import java.util.EnumMap;
import java.util.Map;

/** The one place that maps a {@link MetricsObserverKind} to its {@link MetricsObserver}. */
public final class MetricsObservers {
  private final Map<MetricsObserverKind, MetricsObserver> observers = new EnumMap<>(MetricsObserverKind.class);

  public MetricsObservers() {
    for (MetricsObserverKind kind : MetricsObserverKind.values()) {
      observers.put(kind, switch (kind) {
        case GATEWAY -> new GatewayObserver();
        case LINKERD -> new LinkerdObserver();
      });
    }
  }

  public MetricsObserver forKind(MetricsObserverKind kind) {
    return observers.get(kind);
  }
}
