package dev.plonk.controller;

import dev.plonk.api.v1alpha1.MetricsObserverKind;
import dev.plonk.api.v1alpha1.Provider;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;

/**
 * Defaults a Rollout may leave unset, and how the controller talks to the world.
 *
 * @param defaultProvider router for Rollouts without {@code spec.provider}
 * @param defaultObserver metrics observer for Rollouts without {@code spec.analysis.metricsObserver}
 * @param defaultMetricsServer Prometheus URL for Rollouts without {@code spec.analysis.metricsServer}
 * @param fieldManager the server-side-apply field manager of everything the controller writes
 * @param queryTimeout how long one PromQL query may take
 */
public record ControllerSettings(Provider defaultProvider, MetricsObserverKind defaultObserver, String defaultMetricsServer,
    String fieldManager, Duration queryTimeout) {
  public static final String FIELD_MANAGER = "plonk-rollout-controller";
  /** The label on everything the controller creates, with {@link #FIELD_MANAGER} as its value. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static ControllerSettings defaults(String metricsServer) {
    return new ControllerSettings(Provider.GATEWAY_API, MetricsObserverKind.GATEWAY, metricsServer, FIELD_MANAGER,
        Duration.ofSeconds(5));
  }

  public ControllerSettings withDefaultProvider(Provider provider) {
    return new ControllerSettings(provider, defaultObserver, defaultMetricsServer, fieldManager, queryTimeout);
  }

  /** A JSON merge patch recorded under {@code fieldManager} (not fabric8's default), like every other write. */
  public static PatchContext mergePatch(String fieldManager) {
    return new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(fieldManager).build();
  }
}
