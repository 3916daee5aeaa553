package dev.plonk.gateway;

import dev.plonk.mesh.router.GatewayApiHttpRouteRouter;
import dev.plonk.mesh.router.RouteTarget;
import dev.plonk.mesh.router.SmiTrafficSplitRouter;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Kubernetes objects as the rollout-controller and a kubelet would write them, and small HTTP helpers. */
final class Fixtures {
  private static final AtomicInteger NEXT_IP = new AtomicInteger(10);
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Fixtures() {}

  /**
   * A function's Service (labelled {@code faas_function}, as the gateway deploys them) plus one ready EndpointSlice
   * whose endpoint (a pod-like IP) stands for 127.0.0.1:{@code port}.
   */
  static void service(KubernetesClient client, String ns, String name, int port) {
    client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .addToLabels("faas_function", name).endMetadata().withNewSpec().addToSelector("app", name).addNewPort().withName("http").withPort(8080)
        .withTargetPort(new IntOrString(port)).endPort().endSpec().build()).serverSideApply();
    endpoints(client, ns, name, port, true);
  }

  static void endpoints(KubernetesClient client, String ns, String service, int port, boolean ready) {
    client.discovery().v1().endpointSlices().inNamespace(ns).resource(new EndpointSliceBuilder().withNewMetadata()
        .withName(service + "-" + port).withNamespace(ns).addToLabels("kubernetes.io/service-name", service).endMetadata()
        .withAddressType("IPv4").addNewEndpoint().withAddresses("10.244.0." + (NEXT_IP.incrementAndGet() % 250 + 2))
        .withNewConditions().withReady(ready).endConditions().endEndpoint()
        .addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort().build()).serverSideApply();
  }

  /** The TrafficSplit the rollout-controller's SMI router writes, so the gateway is tested on the real contract. */
  static void trafficSplit(KubernetesClient client, String ns, String apex, int primary, int canary) {
    new SmiTrafficSplitRouter(client, "plonk-test").setWeights(new RouteTarget(ns, apex, 8080, null),
        new Weights(primary, canary));
  }

  /** The HTTPRoute the rollout-controller's Gateway API router writes. */
  static void httpRoute(KubernetesClient client, String ns, String apex, int primary, int canary) {
    new GatewayApiHttpRouteRouter(client, "plonk-test").setWeights(new RouteTarget(ns, apex, 8080, null),
        new Weights(primary, canary));
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Polls {@code url} (bounded: 30 s) until a response matches; returns the last response. */
  static HttpResponse<String> await(String url, Predicate<HttpResponse<String>> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> response = get(url);
    while (!done.test(response) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      response = get(url);
    }
    return response;
  }
}
