package dev.plonk.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plonk.mesh.router.Split;
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
}
