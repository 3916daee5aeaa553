package dev.plonk.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingUnitTest {

  @Test
  void smoothWeightedRoundRobinIsExactPerWindowAndInterleaved() {
    SmoothWeightedBalancer balancer = new SmoothWeightedBalancer(List.of(new Split.Backend("p", 80, null),
        new Split.Backend("c", 20, null)));
    Map<String, Integer> counts = new HashMap<>();
    StringBuilder firstTen = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      String picked = balancer.next(b -> true).service();
      counts.merge(picked, 1, Integer::sum);
      if (i < 10) {
        firstTen.append(picked);
      }
    }
    assertThat(counts).containsEntry("p", 80).containsEntry("c", 20);
    assertThat(firstTen.toString()).isEqualTo("ppcppppcpp");
  }

  @Test
  void backendsWithoutEndpointsOrWeightAreSkipped() {
    SmoothWeightedBalancer balancer = new SmoothWeightedBalancer(List.of(new Split.Backend("p", 50, null),
        new Split.Backend("c", 50, null), new Split.Backend("z", 0, null)));
    for (int i = 0; i < 10; i++) {
      assertThat(balancer.next(b -> !b.service().equals("c")).service()).isEqualTo("p");
    }
    assertThat(balancer.next(b -> false)).isNull();
  }

  @Test
  void functionPathsAreParsed() {
    FunctionRef ref = FunctionRef.parse("echo.team-a/x/y?q=1&r=2", "openfaas-fn");
    assertThat(ref).isEqualTo(new FunctionRef("echo", "team-a", "/x/y", "q=1&r=2"));
    assertThat(ref.upstreamUri()).isEqualTo("/x/y?q=1&r=2");
    assertThat(ref.qualifiedName()).isEqualTo("echo.team-a");
    FunctionRef bare = FunctionRef.parse("echo", "openfaas-fn");
    assertThat(bare.namespace()).isEqualTo("openfaas-fn");
    assertThat(bare.upstreamUri()).isEqualTo("/");
  }

  @Test
  void invalidNamesSayWhatIsExpected() {
    assertThatThrownBy(() -> FunctionRef.parse("Echo", "ns")).hasMessageContaining("invalid function name 'Echo'");
    assertThatThrownBy(() -> FunctionRef.parse("echo.Bad_NS", "ns")).hasMessageContaining("invalid namespace 'Bad_NS'");
    assertThatThrownBy(() -> FunctionRef.parse("", "ns")).hasMessageContaining("function name is missing");
  }

  @Test
  void trafficSplitIsRead() {
    var ts = new GenericKubernetesResourceBuilder().withApiVersion("split.smi-spec.io/v1alpha2").withKind("TrafficSplit")
        .withNewMetadata().withName("fn").withNamespace("ns").endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("service", "fn", "backends", List.of(
            Map.of("service", "fn-primary", "weight", 90), Map.of("service", "fn-canary", "weight", 10))))).build();
    SplitParsing.ApexSplit split = SplitParsing.fromTrafficSplit(ts).orElseThrow();
    assertThat(split.apex()).isEqualTo("fn");
    assertThat(split.split().backends()).containsExactly(new Split.Backend("fn-primary", 90, null),
        new Split.Backend("fn-canary", 10, null));
  }

  @Test
  void httpRouteWithAServiceParentIsRead() {
    var route = new HTTPRouteBuilder().withNewMetadata().withName("fn").withNamespace("ns").endMetadata().withNewSpec()
        .addNewParentRef().withGroup("").withKind("Service").withName("fn").withPort(8080).endParentRef()
        .addNewRule().addNewBackendRef().withName("fn-primary").withPort(8080).withWeight(70).endBackendRef()
        .addNewBackendRef().withName("fn-canary").withPort(8080).endBackendRef().endRule().endSpec().build();
    SplitParsing.ApexSplit split = SplitParsing.fromHttpRoute(route).orElseThrow();
    assertThat(split.apex()).isEqualTo("fn");
    assertThat(split.split().backends()).containsExactly(new Split.Backend("fn-primary", 70, 8080),
        new Split.Backend("fn-canary", 1, 8080));

    var gatewayRoute = new HTTPRouteBuilder().withNewMetadata().withName("g").endMetadata().withNewSpec()
        .addNewParentRef().withName("my-gateway").endParentRef().addNewRule().endRule().endSpec().build();
    assertThat(SplitParsing.fromHttpRoute(gatewayRoute)).isEmpty();
  }
}
