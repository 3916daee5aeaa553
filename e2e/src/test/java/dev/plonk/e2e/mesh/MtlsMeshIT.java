package dev.plonk.e2e.mesh;

import static dev.plonk.e2e.mesh.Mesh.FUNCTION_IDENTITY;
import static dev.plonk.e2e.mesh.Mesh.GATEWAY_IDENTITY;
import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;
import static dev.plonk.e2e.pods.PlonkInstall.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gateway to function over Linkerd's mTLS, seen from both ends, and the functions' AuthorizationPolicy
 * (policies/linkerd/functions.yaml) enforced by the function's proxy: only the gateway's identity gets in.
 * Without Linkerd there is no {@code l5d-client-id}, no TLS in any metric, and every caller gets a 200.
 */
@ExtendWith(OnMesh.class)
class MtlsMeshIT {
  private static final String NAME = "echo-mtls";
  private static final int CALLS = 200;

  @Test
  void gatewayCallsReachTheFunctionOverMutualTlsWithTheGatewaysIdentity(Mesh mesh) throws Exception {
    mesh.deployFunction(NAME, "v1", "0");
    Pod function = mesh.readyPods(FUNCTIONS, "app", NAME).get(0);
    List<Pod> gateways = mesh.readyPods(SYSTEM, "app.kubernetes.io/name", "plonk-gateway");
    assertThat(function).as("the function pod has Linkerd's proxy").matches(Mesh::injected);
    assertThat(gateways).as("every gateway pod has Linkerd's proxy").isNotEmpty().allMatch(Mesh::injected);

    Calls calls = Calls.send(mesh.functionUrl(NAME), CALLS, 2);
    System.err.printf("[e2e] %d calls through the meshed gateway: %s, caller identities seen by the function: %s%n",
        CALLS, calls.counts(), calls.callerIdentities());
    assertThat(calls.counts()).containsExactly(Map.entry("v1 200", (long) CALLS));
    // the function end: its proxy terminated mTLS and told the function who called (l5d-client-id)
    assertThat(calls.callerIdentities()).containsExactly(Map.entry(GATEWAY_IDENTITY, (long) CALLS));

    // the function's proxy: connections accepted over TLS from the gateway's identity, and the requests on them
    ProxyMetrics inbound = mesh.proxyMetrics(function);
    Map<String, String> fromGateway = Map.of("direction", "inbound", "tls", "true", "client_id", GATEWAY_IDENTITY);
    assertThat(inbound.sum("tcp_open_total", fromGateway)).as(inbound.show("tcp_open_total")).isPositive();
    assertThat(inbound.sum("response_total", fromGateway)).as(inbound.show("response_total"))
        .isGreaterThanOrEqualTo(CALLS);

    // the gateway's proxies: connections opened over TLS to the function's identity, and the responses on them
    double connections = 0;
    double responses = 0;
    StringBuilder shown = new StringBuilder();
    for (Pod gateway : gateways) {
      ProxyMetrics outbound = mesh.proxyMetrics(gateway);
      Map<String, String> toFunction = Map.of("direction", "outbound", "tls", "true", "server_id", FUNCTION_IDENTITY);
      connections += outbound.sum("tcp_open_total", toFunction);
      responses += outbound.sum("response_total", toFunction);
      shown.append(outbound.show("response_total")).append('\n').append(outbound.show("tcp_open_total")).append('\n');
    }
    System.err.printf("[e2e] gateway proxies: %.0f TLS connections and %.0f responses to %s%n", connections, responses,
        FUNCTION_IDENTITY);
    assertThat(connections).as(shown.toString()).isPositive();
    assertThat(responses).as(shown.toString()).isGreaterThanOrEqualTo(CALLS);
  }

  @Test
  void callersOtherThanTheGatewayAreRefusedByTheAuthorizationPolicy(Mesh mesh) throws Exception {
    mesh.deployFunction(NAME, "v1", "0");
    Probe.load(mesh);
    String direct = "http://" + mesh.readyPods(FUNCTIONS, "app", NAME).get(0).getStatus().getPodIP() + ":8080/";

    String unmeshed = Probe.get(mesh, "caller-unmeshed", false, direct);
    String meshed = Probe.get(mesh, "caller-meshed", true, direct);
    Calls gateway = Calls.send(mesh.functionUrl(NAME), 20, 1);
    System.err.printf("[e2e] %s directly: unmeshed pod got '%s', meshed pod (identity %s) got '%s'; "
        + "through the gateway: %s%n", direct, unmeshed, FUNCTION_IDENTITY, meshed, gateway.counts());

    assertThat(unmeshed).as("an unmeshed pod calling the function's pod directly").startsWith("403");
    assertThat(meshed).as("a meshed pod whose identity is not the gateway's").startsWith("403");
    assertThat(gateway.counts()).as("the gateway's calls still pass").containsExactly(Map.entry("v1 200", 20L));
  }
}
