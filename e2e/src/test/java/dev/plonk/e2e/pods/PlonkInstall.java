package dev.plonk.e2e.pods;

import dev.plonk.devstack.Net;
import dev.plonk.devstack.ProjectLayout;
import dev.plonk.e2e.Rollouts;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Plonk installed on a cluster the way a user installs it: its images loaded into the node, the routers' CRDs, then
 * {@code kubectl apply -k deploy/overlays/devstack} (or another overlay), the gateway's basic-auth Secret, and every Deployment of
 * plonk-system and monitoring waited for until its pods are Ready. A NodePort Service (a test fixture, not part of
 * deploy/) lets this JVM call the gateway.
 */
public final class PlonkInstall {
  public static final String SYSTEM = "plonk-system";
  public static final String MONITORING = "monitoring";
  public static final String FUNCTIONS = "openfaas-fn";
  /** The gateway's NodePort (fixed, so a k3s container can publish it before it starts). */
  public static final int GATEWAY_NODE_PORT = 30080;
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(6);

  private final Cluster cluster;
  private final String overlay;
  private final String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));

  private PlonkInstall(Cluster cluster, String overlay) {
    this.cluster = cluster;
    this.overlay = overlay;
  }

  /** Installs {@code deploy/overlays/devstack} and waits; prints how long the images and the install took. */
  public static PlonkInstall install(Cluster cluster) {
    return install(cluster, "devstack");
  }

  /** Installs the given overlay of {@code deploy/overlays} (e.g. {@code devstack-linkerd}, after Linkerd) and waits. */
  public static PlonkInstall install(Cluster cluster, String overlay) {
    return new PlonkInstall(cluster, overlay).run();
  }

  private PlonkInstall run() {
    long start = System.nanoTime();
    PlonkImages.built().images().parallelStream().forEach(image -> cluster.importImage(image.tar()));   // I/O-bound
    long imported = System.nanoTime();
    for (var crd : cluster.routerCrds()) {
      cluster.kubectl("apply", "--server-side", "--force-conflicts", "-f", crd.toString());
    }
    cluster.kubectl("apply", "--server-side", "--force-conflicts", "-k",
        ProjectLayout.root().resolve("deploy/overlays").resolve(overlay).toString());
    client().secrets().inNamespace(SYSTEM).resource(new SecretBuilder().withNewMetadata()
        .withName("plonk-gateway-basic-auth").withNamespace(SYSTEM).endMetadata()
        .addToStringData("basic-auth-user", "admin").addToStringData("basic-auth-password", password).build())
        .forceConflicts().serverSideApply();
    client().services().inNamespace(SYSTEM).resource(new ServiceBuilder().withNewMetadata()
        .withName("plonk-gateway-e2e").withNamespace(SYSTEM).endMetadata()
        .withNewSpec().withType("NodePort").addToSelector("app.kubernetes.io/name", "plonk-gateway")
        .addNewPort().withName("http").withPort(8080).withNewTargetPort("http").withNodePort(GATEWAY_NODE_PORT).endPort()
        .endSpec().build())
        .forceConflicts().serverSideApply();
    awaitReady(SYSTEM);
    awaitReady(MONITORING);
    // the NodePort answers only once kube-proxy has programmed it, which may follow the pods' readiness: a test's
    // traffic would otherwise count "no route" failures that are the fixture's, not Plonk's
    Rollouts.await("the gateway's NodePort " + gatewayUrl() + "/healthz", Duration.ofSeconds(90),
        () -> Net.isOk(gatewayUrl() + "/healthz"));
    System.err.printf("[e2e] Plonk on pods: images loaded in %d ms, every pod Ready %d ms after kubectl apply -k "
        + "deploy/overlays/%s%n", Duration.ofNanos(imported - start).toMillis(),
        Duration.ofNanos(System.nanoTime() - imported).toMillis(), overlay);
    return this;
  }

  /** Waits until every Deployment of the namespace has all its replicas Ready, or fails naming the pods that are not. */
  public void awaitReady(String namespace) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!allReady(namespace)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Plonk's pods in " + namespace + " not Ready after " + READY_TIMEOUT.toSeconds()
            + " s:\n" + podReport(namespace));
      }
      sleep(Duration.ofMillis(500));
    }
  }

  private boolean allReady(String namespace) {
    List<Deployment> deployments = client().apps().deployments().inNamespace(namespace).list().getItems();
    return !deployments.isEmpty() && deployments.stream().allMatch(d -> d.getStatus() != null
        && d.getStatus().getObservedGeneration() != null
        && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
        && d.getSpec().getReplicas().equals(d.getStatus().getReadyReplicas())
        && d.getSpec().getReplicas().equals(d.getStatus().getUpdatedReplicas())
        && d.getSpec().getReplicas().equals(d.getStatus().getReplicas()));
  }

  /** One line per pod: name, phase, and each container's state. */
  public String podReport(String namespace) {
    return client().pods().inNamespace(namespace).list().getItems().stream().map(PlonkInstall::describe)
        .collect(Collectors.joining("\n"));
  }

  private static String describe(Pod pod) {
    String containers = pod.getStatus().getContainerStatuses() == null ? "" : pod.getStatus().getContainerStatuses()
        .stream().map(c -> c.getName() + " ready=" + c.getReady() + " restarts=" + c.getRestartCount()
            + (c.getState().getWaiting() != null ? " waiting " + c.getState().getWaiting().getReason() + ": "
                + c.getState().getWaiting().getMessage() : ""))
        .collect(Collectors.joining(", "));
    return "  " + pod.getMetadata().getName() + " " + pod.getStatus().getPhase() + " " + containers;
  }

  public Cluster cluster() {
    return cluster;
  }

  public KubernetesClient client() {
    return cluster.client();
  }

  /** The gateway through its NodePort, e.g. {@code http://10.64.255.2:31234}. */
  public String gatewayUrl() {
    return "http://" + cluster.nodePortAddress(GATEWAY_NODE_PORT);
  }

  /** The basic-auth password of the gateway's /system API (user admin). */
  public String adminPassword() {
    return password;
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
