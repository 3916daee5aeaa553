package dev.plonk.mesh.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.smi_spec.split.v1alpha2.TrafficSplit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract: what the routers write, once serialized as it goes to the apiserver, reads back to the same split. */
class SplitReaderTest {
  static final RouteTarget T = new RouteTarget("shop", "echo", 8080, null);

  @Test
  void theReaderReadsTheTrafficSplitTheRouterWrites() {
    String wire = Serialization.asYaml(SmiTrafficSplitRouter.desired(T, Weights.canary(30)));
    Split split = SplitReader.fromTrafficSplit(Serialization.unmarshal(wire, TrafficSplit.class)).orElseThrow();
    assertThat(split).isEqualTo(new Split("echo", "TrafficSplit", List.of(
        new Split.Backend("echo-primary", 70, null), new Split.Backend("echo-canary", 30, null))));
    assertThat(split.weights(T)).contains(Weights.canary(30));
  }

  @Test
  void theReaderReadsTheHttpRouteTheRouterWrites() {
    String wire = Serialization.asYaml(GatewayApiHttpRouteRouter.desired(T, Weights.canary(10)));
    Split split = SplitReader.fromHttpRoute(Serialization.unmarshal(wire, HTTPRoute.class)).orElseThrow();
    assertThat(split).isEqualTo(new Split("echo", "HTTPRoute", List.of(
        new Split.Backend("echo-primary", 90, 8080), new Split.Backend("echo-canary", 10, 8080))));
    assertThat(split.weights(T)).contains(Weights.canary(10));
  }

  @Test
  void anHttpRouteWeightDefaultsToOneAndAGatewayParentIsNotASplit() {
    var route = new HTTPRouteBuilder().withNewMetadata().withName("fn").withNamespace("ns").endMetadata().withNewSpec()
        .addNewParentRef().withGroup("").withKind("Service").withName("fn").withPort(8080).endParentRef()
        .addNewRule().addNewBackendRef().withName("fn-primary").withPort(8080).withWeight(70).endBackendRef()
        .addNewBackendRef().withName("fn-canary").withPort(8080).endBackendRef().endRule().endSpec().build();
    assertThat(SplitReader.fromHttpRoute(route).orElseThrow().backends()).containsExactly(
        new Split.Backend("fn-primary", 70, 8080), new Split.Backend("fn-canary", 1, 8080));

    var gatewayRoute = new HTTPRouteBuilder().withNewMetadata().withName("g").endMetadata().withNewSpec()
        .addNewParentRef().withName("my-gateway").endParentRef().addNewRule().endRule().endSpec().build();
    assertThat(SplitReader.fromHttpRoute(gatewayRoute)).isEmpty();
  }

  @Test
  void weightsNeedBothBackendsSummingTo100() {
    Split other = new Split("echo", "TrafficSplit", List.of(new Split.Backend("echo-primary", 100, null)));
    assertThat(other.weights(T)).isEqualTo(Optional.empty());
  }
}
