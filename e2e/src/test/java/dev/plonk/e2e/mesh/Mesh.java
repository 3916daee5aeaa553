package dev.plonk.e2e.mesh;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;

import dev.plonk.e2e.Rollouts;
import dev.plonk.e2e.pods.Echo;
import dev.plonk.e2e.pods.NodeCluster;
import dev.plonk.e2e.pods.PlonkInstall;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Plonk installed under Linkerd on the devstack's node, and what the mesh tests do with it. */
public final class Mesh {
  /** The gateway's mesh identity: its ServiceAccount, as Linkerd's identity controller names it. */
  static final String GATEWAY_IDENTITY = "plonk-gateway.plonk-system.serviceaccount.identity.linkerd.cluster.local";
  /** The functions' mesh identity: the default ServiceAccount of the functions' namespace. */
  static final String FUNCTION_IDENTITY = "default." + FUNCTIONS + ".serviceaccount.identity.linkerd.cluster.local";

  private final NodeCluster cluster;
  private final PlonkInstall plonk;

  Mesh(NodeCluster cluster, PlonkInstall plonk) {
    this.cluster = cluster;
    this.plonk = plonk;
  }

  NodeCluster cluster() {
    return cluster;
  }

  PlonkInstall plonk() {
    return plonk;
  }

  KubernetesClient client() {
    return plonk.client();
  }

  /** The function's URL through the gateway's NodePort. */
  String functionUrl(String name) {
    return plonk.gatewayUrl() + "/function/" + name + "." + FUNCTIONS + "/";
  }

  /** An echo Deployment (injected: its namespace asks for the proxy) and its function Service, Ready. */
  void deployFunction(String name, String version, String failRate) {
    client().apps().deployments().inNamespace(FUNCTIONS).resource(Echo.deployment(FUNCTIONS, name, version, failRate))
        .forceConflicts().serverSideApply();
    client().services().inNamespace(FUNCTIONS).resource(new ServiceBuilder().withNewMetadata().withName(name)
        .withNamespace(FUNCTIONS).addToLabels("faas_function", name).endMetadata().withNewSpec().addToSelector("app", name)
        .addNewPort().withName("http").withPort(8080).withNewTargetPort(8080).endPort().endSpec().build())
        .forceConflicts().serverSideApply();
    Rollouts.await(name + " Ready", Duration.ofMinutes(3), () -> readyPods(FUNCTIONS, "app", name).size() == 1);
  }

  /** The Ready, not terminating pods with the given label. */
  List<Pod> readyPods(String namespace, String label, String value) {
    return client().pods().inNamespace(namespace).withLabel(label, value).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus().getPodIP() != null)
        .filter(p -> p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .toList();
  }

  /** Whether Linkerd's injector gave the pod its proxy (a native sidecar init container, or an ordinary container). */
  static boolean injected(Pod pod) {
    return Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
        .map(Container::getName).anyMatch("linkerd-proxy"::equals);
  }

  /** The pod's proxy metrics, read from its admin port (4191) as Prometheus scrapes them. */
  ProxyMetrics proxyMetrics(Pod pod) {
    return ProxyMetrics.scrape(pod.getStatus().getPodIP());
  }
}
