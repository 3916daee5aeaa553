package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import dev.plonk.mesh.router.RouteTarget;
import dev.plonk.mesh.router.TrafficRouter;
import dev.plonk.mesh.router.TrafficRouterFactory;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The controller watches the routes it writes: with an analysis interval of 10 minutes, no periodic reconcile comes
 * during the test, so a route edited or deleted by hand can only be restored because the watch woke the Rollout.
 */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class RouteWatchIT {
  private static final Duration WELL_UNDER_THE_INTERVAL = Duration.ofSeconds(60);

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aRouteEditedOrDeletedByHandIsRestoredAtOnce(Provider provider, KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), provider)) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> spec.analysis.interval = "10m");
      TrafficRouter byHand = new TrafficRouterFactory(client, "kubectl-edit").forProvider(provider);
      RouteTarget route = new RouteTarget(ns.name(), "echo", 8080, null);

      byHand.setWeights(route, Weights.canary(40));
      Scenario.await("a RouteDriftRepaired Event for the edit", WELL_UNDER_THE_INTERVAL,
          () -> driftMessages(s).anyMatch(m -> m.contains("primary/canary weights 60/40")));
      assertThat(s.weights()).contains(Weights.PRIMARY_ONLY);

      client.resources(byHand.routeType()).inNamespace(ns.name()).withName("echo").delete();
      Scenario.await("a RouteDriftRepaired Event for the deletion", WELL_UNDER_THE_INTERVAL,
          () -> driftMessages(s).anyMatch(m -> m.contains("had no valid weights")));
      Scenario.await("the route back at 100/0", WELL_UNDER_THE_INTERVAL,
          () -> s.weights().equals(Optional.of(Weights.PRIMARY_ONLY)));
    }
  }

  private static java.util.stream.Stream<String> driftMessages(Scenario s) {
    return s.events().stream().filter(e -> "RouteDriftRepaired".equals(e.getReason())).map(e -> e.getMessage());
  }
}
