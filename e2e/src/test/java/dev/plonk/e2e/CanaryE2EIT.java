package dev.plonk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStack;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.PlonkComponents;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The whole product on the devstack, driven as a user drives it: functions run as processes, the gateway (direct
 * mode) serves live traffic by the TrafficSplit weights, Prometheus scrapes the gateway, the rollout-controller gates
 * every step on those metrics. A healthy v2 is promoted with no failed request; a v3 failing half its calls is rolled
 * back and the clients end up on v2 again.
 */
@DevStackTest(processRuntime = true, prometheus = true, nats = true, upstreamCrds = true)
class CanaryE2EIT {
  /**
   * A new revision, as {@code kubectl apply --server-side} would push it: an apply, not a read-modify-write update,
   * which would fail with 409 whenever the controller scales the Deployment in between.
   */
  static void release(KubernetesClient client, Deployment revision) {
    client.resource(revision).fieldManager("kubectl").forceConflicts().serverSideApply();
  }

  static Deployment echo(String namespace, String version, String failRate) {
    return echo(namespace, "echo", version, failRate);
  }

  /** The sample echo function as a process-runtime Deployment named {@code name}. */
  static Deployment echo(String namespace, String name, String version, String failRate) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels("faas_function", name).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).addToLabels("faas_function", name).endMetadata()
        .withNewSpec().addNewContainer().withName("echo").withImage("ghcr.io/plonk-dev/echo:" + version)
        .withCommand(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"), "dev.plonk.samples.EchoFunction")
        .addNewEnv().withName("VERSION").withValue(version).endEnv()
        .addNewEnv().withName("FAIL_RATE").withValue(failRate).endEnv()
        .addNewPort().withContainerPort(8080).withName("http").endPort()
        .withNewReadinessProbe().withNewHttpGet().withPath("/_/health").withNewPort(8080).endHttpGet().endReadinessProbe()
        .endContainer().endSpec().endTemplate().endSpec().build();
  }

  static String rollout(String namespace) {
    return """
        apiVersion: plonk.dev/v1alpha1
        kind: Rollout
        metadata:
          name: echo
          namespace: %s
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: echo}
          service: {port: 8080}
          provider: smi
          progressDeadlineSeconds: 120
          analysis:
            interval: 2s
            threshold: 2
            stepWeight: 20
            maxWeight: 60
            metricsObserver: gateway
            metrics:
            - name: request-success-rate
              interval: 10s
              thresholdRange: {min: 99}
            - name: request-duration
              interval: 10s
              thresholdRange: {max: 500}
        """.formatted(namespace);
  }

  @Test
  void healthyCanaryIsPromotedAndFailingCanaryRolledBackUnderLiveTraffic(DevStack stack, Kubernetes kubernetes,
      KubernetesClient client, TestNamespace ns) throws Exception {
    String n = ns.name();
    Kubectl kubectl = new Kubectl(kubernetes);
    try (PlonkComponents plonk = new PlonkComponents(stack, PlonkComponents.Launch.CLASS_PATH)) {
      String gateway = plonk.gateway(n);
      try (Traffic traffic = startedAfterBootstrap(plonk, client, kubectl, n, gateway)) {
        // v1 serves all traffic through the primary
        Rollouts.await("v1 traffic", Duration.ofSeconds(60), () -> traffic.count("v1 200") > 100);

        // a healthy new revision: weights climb step by step, then promotion
        traffic.reset();
        release(client, echo(n, "v2", "0"));
        List<Integer> weights = watchWeightsUntilPhase(client, n, "Succeeded", Duration.ofMinutes(3));
        assertThat(weights).as("canary weights seen").contains(20, 40, 60);
        assertThat(new TreeSet<>(weights).last()).isLessThanOrEqualTo(60);
        Rollouts.awaitPrimaryOnly(client, n, "echo");
        assertThat(client.apps().deployments().inNamespace(n).withName("echo-primary").get().getSpec().getTemplate()
            .getSpec().getContainers().get(0).getEnv()).anySatisfy(e -> {
              assertThat(e.getName()).isEqualTo("VERSION");
              assertThat(e.getValue()).isEqualTo("v2");
            });
        Rollouts.await("v2 traffic after promotion", Duration.ofSeconds(30), () -> traffic.count("v2 200") > 100);
        assertThat(traffic.counts()).as("no client saw an error during a healthy rollout")
            .allSatisfy((key, count) -> assertThat(key).endsWith(" 200"));
        assertThat(kubectl.run("get", "events", "-n", n, "--field-selector", "involvedObject.kind=Rollout").ok().output())
            .contains("Promot");

        // a failing revision: rolled back on the measured success rate, clients end up on v2
        release(client, echo(n, "v3", "0.5"));
        watchWeightsUntilPhase(client, n, "Failed", Duration.ofMinutes(3));
        GenericKubernetesResource failed = client.genericKubernetesResources(Rollouts.ROLLOUTS).inNamespace(n).withName("echo").get();
        assertThat(kubectl.run("get", "rollout", "echo", "-n", n, "-o", "wide").ok().output()).contains("Failed");
        assertThat(String.valueOf(failed.getAdditionalProperties().get("status"))).contains("request-success-rate");
        Rollouts.awaitPrimaryOnly(client, n, "echo");
        traffic.reset();
        Rollouts.await("v2 traffic after rollback", Duration.ofSeconds(30), () -> traffic.count("v2 200") > 100);
        assertThat(traffic.counts()).containsOnlyKeys("v2 200");
      }
    }
  }

  private static Traffic startedAfterBootstrap(PlonkComponents plonk, KubernetesClient client, Kubectl kubectl,
      String n, String gateway) throws Exception {
    client.apps().deployments().inNamespace(n).resource(echo(n, "v1", "0")).create();
    plonk.controller();
    Path manifest = Files.createTempFile("rollout", ".yaml");
    Files.writeString(manifest, rollout(n));
    kubectl.run("apply", "-f", manifest.toString()).ok();
    watchWeightsUntilPhase(client, n, "Initialized", Duration.ofMinutes(2));
    return new Traffic(gateway + "/function/echo." + n + "/");
  }

  private static List<Integer> watchWeightsUntilPhase(KubernetesClient client, String n, String phase, Duration timeout) {
    return Rollouts.watchWeightsUntilPhase(client, n, "echo", phase, timeout);
  }

}
