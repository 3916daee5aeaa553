package dev.plonk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Nats;
import dev.plonk.devstack.Net;
import dev.plonk.devstack.TestNamespace;
import dev.plonk.gateway.Gateway;
import dev.plonk.gateway.GatewayMain;
import dev.plonk.queue.CallbackReceiver;
import dev.plonk.queue.WorkerProcess;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The whole async path with real components: POST /async-function on the real gateway (direct routing over a
 * Service + EndpointSlice in the real kube-apiserver) publishes to the real nats-server, the worker process calls
 * the function back through the gateway's sync path, and the callback receiver gets every call id. It lives in e2e
 * because it runs both the gateway and the worker, which never depend on each other.
 */
@DevStackTest(kubernetes = true, nats = true)
class GatewayAsyncIT {
  private static final int CALLS = 1000;

  @Test
  void thousandAsyncCallsThroughTheGatewayProduceACallbackForEveryCallId(Nats nats, Kubernetes kubernetes,
      KubernetesClient client, TestNamespace ns) throws Exception {
    try (EchoFunction function = new EchoFunction();
        CallbackReceiver receiver = new CallbackReceiver().start()) {
      register(client, ns.name(), "echo", function.port());
      try (Gateway gateway = GatewayMain.start("--bind", "127.0.0.1", "--port", "0", "--routing", "direct", "--no-basic-auth",
          "--kubeconfig", kubernetes.kubeconfig().toString(), "--endpoint-host", "127.0.0.1",
          "--nats-url", nats.url());
          WorkerProcess worker = new WorkerProcess("gateway-1000", List.of("--nats-url", nats.url(),
              "--gateway-url", gateway.url(), "--consumer", "it-" + ns.name(),
              "--subject-filter", "plonk.calls." + ns.name() + ".>", "--max-inflight", "16")).start()) {
        String sync = gateway.url() + "/function/echo." + ns.name();
        Net.await("the gateway to route " + sync, Duration.ofSeconds(30), () -> Net.isOk(sync), null);

        Set<String> accepted = submit(gateway.url() + "/async-function/echo." + ns.name(), receiver.url(), CALLS);
        assertThat(accepted).hasSize(CALLS);

        Net.await("callbacks for all " + CALLS + " calls", Duration.ofSeconds(120),
            () -> receiver.distinctCalls() == CALLS, null);
        Set<String> called = receiver.received().stream().map(CallbackReceiver.Callback::callId)
            .collect(Collectors.toSet());
        assertThat(called).isEqualTo(accepted);
        assertThat(receiver.received()).allSatisfy(cb -> {
          assertThat(cb.functionStatus()).isEqualTo(200);
          assertThat(cb.functionName()).isEqualTo("echo." + ns.name());
          assertThat(cb.body()).startsWith("call ");
        });
        assertThat(function.calls()).isGreaterThanOrEqualTo(CALLS);
        System.out.printf("gateway async: %d calls accepted, %d callbacks, %d duplicate callbacks, %d function "
            + "calls (at-least-once; loss: %d)%n", CALLS, receiver.received().size(), receiver.duplicates(),
            function.calls(), CALLS - receiver.distinctCalls());
      }
    }
  }

  /** POSTs {@code calls} calls 32 at a time and returns the X-Call-Id of every 202. */
  static Set<String> submit(String url, String callbackUrl, int calls) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    Semaphore window = new Semaphore(32);
    CompletableFuture<?>[] all = new CompletableFuture<?>[calls];
    for (int i = 0; i < calls; i++) {
      window.acquire();
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
          .header("X-Callback-Url", callbackUrl).POST(HttpRequest.BodyPublishers.ofString("call " + i)).build();
      all[i] = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
        window.release();
        if (response != null && response.statusCode() == 202) {
          response.headers().firstValue("X-Call-Id").ifPresent(accepted::add);
        }
      });
    }
    CompletableFuture.allOf(all).exceptionally(e -> null).get(120, TimeUnit.SECONDS);
    return accepted;
  }

  /** A function Service (labelled {@code faas_function}) with one ready endpoint that stands for loopback:port. */
  static void register(KubernetesClient client, String namespace, String name, int port) {
    client.services().inNamespace(namespace).resource(new ServiceBuilder()
        .withNewMetadata().withName(name).withLabels(Map.of("faas_function", name)).endMetadata()
        .withNewSpec().withSelector(Map.of("faas_function", name))
        .addNewPort().withName("http").withPort(port).withNewTargetPort(port).withProtocol("TCP").endPort()
        .endSpec().build()).serverSideApply();
    client.discovery().v1().endpointSlices().inNamespace(namespace).resource(new EndpointSliceBuilder()
        .withNewMetadata().withName(name + "-1").withLabels(Map.of("kubernetes.io/service-name", name)).endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses("10.244.0.10").withNewConditions().withReady(true).endConditions().endEndpoint()
        .addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort()
        .build()).serverSideApply();
  }
}
