package dev.plonk.mesh.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoutersTest {
  static final RouteTarget T = new RouteTarget("shop", "echo", 8080, null);

  @Test
  void trafficSplitFollowsTheContract() {
    var split = SmiTrafficSplitRouter.desired(T, Weights.canary(30));
    assertThat(split.getApiVersion()).isEqualTo("split.smi-spec.io/v1alpha2");
    assertThat(split.getKind()).isEqualTo("TrafficSplit");
    assertThat(split.getMetadata().getName()).isEqualTo("echo");
    assertThat(split.getSpec().getService()).isEqualTo("echo");
    assertThat(split.getSpec().getBackends()).extracting(b -> b.getService() + ":" + b.getWeight())
        .containsExactly("echo-primary:70.0", "echo-canary:30.0");
  }

  @Test
  void httpRouteFollowsTheContract() {
    var route = GatewayApiHttpRouteRouter.desired(T, Weights.canary(10));
    assertThat(route.getApiVersion()).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(route.getSpec().getParentRefs()).singleElement().satisfies(p -> {
      assertThat(p.getGroup()).isEmpty();
      assertThat(p.getKind()).isEqualTo("Service");
      assertThat(p.getName()).isEqualTo("echo");
      assertThat(p.getPort()).isEqualTo(8080);
    });
    assertThat(route.getSpec().getRules()).singleElement().satisfies(r -> assertThat(r.getBackendRefs())
        .extracting(b -> b.getName() + ":" + b.getPort() + ":" + b.getWeight())
        .containsExactly("echo-primary:8080:90", "echo-canary:8080:10"));
  }

  @Test
  void weightsMustSumTo100() {
    assertThatThrownBy(() -> new Weights(50, 60)).hasMessageContaining("sum to 100");
    assertThat(Weights.canary(0)).isEqualTo(Weights.PRIMARY_ONLY);
  }
}
