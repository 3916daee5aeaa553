package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

@DevStackTest(processRuntime = true)
class ProcessRuntimeIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Deployment web(String namespace, int replicas, String greeting) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(namespace).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
        .addNewContainer().withName("web").withImage("example/web:1")
        .withCommand(java.toString(), "-cp", System.getProperty("java.class.path"), TinyHttpServer.class.getName())
        .withArgs("on-port-$(PORT)")
        .addNewEnv().withName("GREETING").withValue(greeting).endEnv()
        .endContainer().endSpec().endTemplate().endSpec().build();
  }

  private static List<EndpointSlice> slices(KubernetesClient client, String namespace) {
    return client.discovery().v1().endpointSlices().inNamespace(namespace)
        .withLabel("kubernetes.io/service-name", "web").list().getItems();
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) {
    Net.await(what, Duration.ofSeconds(60), condition, null);
  }

  private static String get(int port) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void runsDeploymentsAsProcessesAndPublishesEndpoints(KubernetesClient client, TestNamespace ns) throws Exception {
    String n = ns.name();
    client.services().inNamespace(n).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
        .withNewSpec().addToSelector("app", "web").addNewPort().withName("http").withPort(8080)
        .withTargetPort(new IntOrString(8080)).endPort().endSpec().build()).create();
    client.apps().deployments().inNamespace(n).resource(web(n, 2, "hello")).create();

    Predicate<Deployment> twoReady = d -> d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas());
    client.apps().deployments().inNamespace(n).withName("web").waitUntilCondition(twoReady, 60, java.util.concurrent.TimeUnit.SECONDS);
    await("two endpoint slices", () -> slices(client, n).size() == 2);
    for (EndpointSlice slice : slices(client, n)) {
      assertThat(slice.getAddressType()).isEqualTo("IPv4");
      assertThat(slice.getEndpoints().get(0).getAddresses().get(0)).startsWith("10.244.");
      assertThat(slice.getEndpoints().get(0).getConditions().getReady()).isTrue();
      int port = slice.getPorts().get(0).getPort();
      assertThat(slice.getPorts().get(0).getName()).isEqualTo("http");
      assertThat(get(port)).isEqualTo("hello on-port-" + port);
    }

    // a new pod template replaces every replica
    List<Integer> oldPorts = slices(client, n).stream().map(s -> s.getPorts().get(0).getPort()).toList();
    client.apps().deployments().inNamespace(n).resource(web(n, 2, "bonjour")).update();
    await("replicas of the new template", () -> {
      List<EndpointSlice> now = slices(client, n);
      return now.size() == 2 && now.stream().noneMatch(s -> oldPorts.contains(s.getPorts().get(0).getPort()));
    });
    for (EndpointSlice slice : slices(client, n)) {
      assertThat(get(slice.getPorts().get(0).getPort())).startsWith("bonjour");
    }

    // scale to zero: no endpoints, status says 0 ready
    client.apps().deployments().inNamespace(n).withName("web").scale(0);
    await("no endpoints", () -> slices(client, n).isEmpty());
    client.apps().deployments().inNamespace(n).withName("web").waitUntilCondition(
        d -> d.getStatus() != null && d.getStatus().getReplicas() == null && d.getStatus().getReadyReplicas() == null
            && d.getStatus().getConditions().get(0).getMessage().startsWith("0 of 0"),
        30, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void aDeploymentWithoutCommandGetsAConditionNotACrash(KubernetesClient client, TestNamespace ns) {
    Deployment noCommand = new DeploymentBuilder(web(ns.name(), 1, "x")).editSpec().editTemplate().editSpec()
        .editFirstContainer().withCommand().withArgs().endContainer().endSpec().endTemplate().endSpec().build();
    client.apps().deployments().inNamespace(ns.name()).resource(noCommand).create();
    Deployment seen = client.apps().deployments().inNamespace(ns.name()).withName("web").waitUntilCondition(
        d -> d.getStatus() != null && !d.getStatus().getConditions().isEmpty(), 30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(seen.getStatus().getConditions().get(0).getReason()).isEqualTo("CannotRun");
    assertThat(seen.getStatus().getConditions().get(0).getMessage()).contains("no command or args");
  }

  @Test
  void oneDeploymentThatCannotRunDoesNotStopTheOthers(KubernetesClient client, TestNamespace ns) {
    String n = ns.name();
    Deployment argsOnly = new DeploymentBuilder(web(n, 1, "x")).editMetadata().withName("args-only").endMetadata()
        .editSpec().editTemplate().editSpec().editFirstContainer().withCommand().endContainer().endSpec().endTemplate()
        .endSpec().build();
    Deployment missingBinary = new DeploymentBuilder(web(n, 1, "x")).editMetadata().withName("missing").endMetadata()
        .editSpec().editTemplate().editSpec().editFirstContainer().withCommand("/nonexistent/plonk-binary").endContainer()
        .endSpec().endTemplate().endSpec().build();
    client.apps().deployments().inNamespace(n).resource(argsOnly).create();
    client.apps().deployments().inNamespace(n).resource(missingBinary).create();
    client.apps().deployments().inNamespace(n).resource(web(n, 1, "hello")).create();
    client.apps().deployments().inNamespace(n).withName("web").waitUntilCondition(
        d -> d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()), 60,
        java.util.concurrent.TimeUnit.SECONDS);
    for (String bad : List.of("args-only", "missing")) {
      Deployment seen = client.apps().deployments().inNamespace(n).withName(bad).waitUntilCondition(
          d -> d.getStatus() != null && !d.getStatus().getConditions().isEmpty(), 30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(seen.getStatus().getConditions().get(0).getReason()).as(bad).isEqualTo("CannotRun");
    }
    assertThat(client.apps().deployments().inNamespace(n).withName("args-only").get().getStatus().getConditions().get(0)
        .getMessage()).contains("has args but no command");
  }

  @Test
  void envComesFromTheDownwardApiAndEarlierVariables(KubernetesClient client, TestNamespace ns) throws Exception {
    String n = ns.name();
    Deployment d = new DeploymentBuilder(web(n, 1, "$(APP) in $(NS)")).editSpec().editTemplate().editSpec()
        .editFirstContainer()
        .addToEnv(0, new EnvVarBuilder().withName("APP").withNewValueFrom().withNewFieldRef()
            .withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().build())
        .addToEnv(1, new EnvVarBuilder().withName("NS").withNewValueFrom().withNewFieldRef()
            .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().build())
        .endContainer().endSpec().endTemplate().endSpec().build();
    client.services().inNamespace(n).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
        .withNewSpec().addToSelector("app", "web").addNewPort().withPort(8080).endPort().endSpec().build()).create();
    client.apps().deployments().inNamespace(n).resource(d).create();
    await("an endpoint", () -> slices(client, n).size() == 1);
    int port = slices(client, n).get(0).getPorts().get(0).getPort();
    assertThat(get(port)).isEqualTo("web in " + n + " on-port-" + port);
  }

  /**
   * A new template whose replica fails its readiness probe: like a Deployment with maxUnavailable 0, the old replica
   * keeps serving and the status says so (2 replicas, 1 updated, 1 ready); scaled up from zero, a failing replica is
   * updated but not available.
   */
  @Test
  void aReplicaFailingItsReadinessProbeIsNotReadyAndKeepsTheOldOne(KubernetesClient client, TestNamespace ns) {
    String n = ns.name();
    var deployments = client.apps().deployments().inNamespace(n);
    deployments.resource(web(n, 1, "hello")).create();
    deployments.withName("web").waitUntilCondition(d -> d.getStatus() != null
        && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()), 60, java.util.concurrent.TimeUnit.SECONDS);
    Deployment failing = new DeploymentBuilder(web(n, 1, "bonjour")).editSpec().editTemplate().editSpec()
        .editFirstContainer().withNewReadinessProbe().withNewHttpGet().withPath("/unready/probe").withNewPort(8080)
        .endHttpGet().endReadinessProbe().endContainer().endSpec().endTemplate().endSpec().build();
    deployments.resource(failing).update();
    Deployment rolling = deployments.withName("web").waitUntilCondition(d -> d.getStatus() != null
        && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
        && Integer.valueOf(1).equals(d.getStatus().getUpdatedReplicas()), 60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(rolling.getStatus().getReplicas()).as("the old replica stays until a new one is ready").isEqualTo(2);
    assertThat(rolling.getStatus().getReadyReplicas()).isEqualTo(1);
    assertThat(rolling.getStatus().getAvailableReplicas()).isEqualTo(1);

    deployments.withName("web").scale(0);
    deployments.withName("web").waitUntilCondition(d -> d.getStatus() != null && d.getStatus().getReplicas() == null,
        30, java.util.concurrent.TimeUnit.SECONDS);
    deployments.withName("web").scale(1);
    Deployment scaledUp = deployments.withName("web").waitUntilCondition(d -> d.getStatus() != null
        && Integer.valueOf(1).equals(d.getStatus().getUpdatedReplicas()), 60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(scaledUp.getStatus().getReplicas()).isEqualTo(1);
    assertThat(scaledUp.getStatus().getAvailableReplicas()).as("updated, but failing its probe").isNull();
  }

  /** As a Deployment counts it: a replica that passes its probe is ready, and available once ready minReadySeconds. */
  @Test
  void aReadyReplicaIsAvailableOnlyAfterMinReadySeconds(KubernetesClient client, TestNamespace ns) {
    String n = ns.name();
    var deployments = client.apps().deployments().inNamespace(n);
    deployments.resource(new DeploymentBuilder(web(n, 1, "hello")).editSpec().withMinReadySeconds(300).endSpec()
        .build()).create();
    Deployment ready = deployments.withName("web").waitUntilCondition(d -> d.getStatus() != null
        && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()), 60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(ready.getStatus().getAvailableReplicas()).as("ready, not for 5 minutes yet").isNull();
    assertThat(ready.getStatus().getConditions().get(0).getStatus()).isEqualTo("False");

    deployments.withName("web").edit(d -> new DeploymentBuilder(d).editSpec().withMinReadySeconds(1).endSpec().build());
    deployments.withName("web").waitUntilCondition(d -> d.getStatus() != null
        && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas()), 60, java.util.concurrent.TimeUnit.SECONDS);
  }
}
