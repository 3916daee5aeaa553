package dev.plonk.gateway.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.gateway.http.BasicAuth;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemUnitTest {

  @Test
  void aFunctionDeploymentBecomesALabelledDeploymentAndService() {
    FunctionDeployment f = new FunctionDeployment("echo", "img:1", "ns", "cat", Map.of("B", "2", "A", "1"), List.of(),
        List.of(), Map.of("team", "a"), Map.of("note", "x"), new FunctionDeployment.Resources("128Mi", null),
        new FunctionDeployment.Resources(null, "50m"), true);
    Deployment d = FunctionObjects.deployment("ns", f);
    assertThat(d.getMetadata().getLabels()).containsEntry("faas_function", "echo").containsEntry("team", "a");
    assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("faas_function", "echo"));
    var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("img:1");
    assertThat(container.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("fprocess=cat", "A=1", "B=2");
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("128Mi"));
    assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("50m"));
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    var service = FunctionObjects.service("ns", f);
    assertThat(service.getSpec().getSelector()).isEqualTo(Map.of("faas_function", "echo"));
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
  }

  @Test
  void basicAuthAcceptsOnlyTheRightCredentials() {
    BasicAuth auth = new BasicAuth("admin", "pw");
    assertThat(auth.accepts("Basic " + Base64.getEncoder().encodeToString("admin:pw".getBytes()))).isTrue();
    assertThat(auth.accepts("basic " + Base64.getEncoder().encodeToString("admin:pw".getBytes()))).isTrue();
    assertThat(auth.accepts("Basic " + Base64.getEncoder().encodeToString("admin:px".getBytes()))).isFalse();
    assertThat(auth.accepts("Basic !!!")).isFalse();
    assertThat(auth.accepts("Bearer x")).isFalse();
    assertThat(auth.accepts(null)).isFalse();
  }
}
