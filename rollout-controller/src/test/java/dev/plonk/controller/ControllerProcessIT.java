package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar as a process, twice, with leader election: one Lease, one holder, both healthy; only the holder
 * reconciles (only its {@code /metrics} has the Rollout's series); when it is killed, the other takes the Lease over
 * and reconciles the next revision.
 */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class ControllerProcessIT {
  static final Path JAR = Path.of("target/plonk-rollout-controller.jar");
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void exactlyOneReplicaReconcilesAndTheOtherTakesOver(KubernetesClient client, Kubernetes k8s, Prometheus prometheus, TestNamespace ns)
      throws Exception {
    assertThat(JAR).as("run `./mvnw -pl rollout-controller package` first").exists();
    List<Process> processes = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), dev.plonk.api.v1alpha1.Provider.SMI)) {
      for (int i = 0; i < 2; i++) {
        int port = freePort();
        ports.add(port);
        processes.add(new ProcessBuilder("java", "-Xmx256m", "-jar", JAR.toString(), "--kubeconfig", k8s.kubeconfig().toString(),
            "--namespaces", ns.name(), "--lease-namespace", ns.name(), "--default-provider", "smi",
            "--metrics-server", prometheus.baseUrl(), "--port", Integer.toString(port))
            .redirectErrorStream(true).redirectOutput(Files.createTempFile("plonk-controller-" + i, ".log").toFile())
            .start());
      }
      for (int port : ports) {
        Scenario.await("/healthz on " + port, Duration.ofSeconds(60), () -> status(port, "/healthz") == 200);
      }
      Scenario.await("a Lease holder", Duration.ofSeconds(60), () -> holder(client, ns.name()) != null);
      s.canaryServes(20, 0);
      s.createTarget("v1");
      s.createRollout(spec -> { });
      Rollout r = s.awaitPhase(Phase.Initialized, Duration.ofSeconds(60));
      assertThat(r.getStatus().lastAppliedSpec).isNotBlank();
      int leader = leaderIndex(client, ns.name(), processes);
      int follower = 1 - leader;
      String series = "plonk_rollout_status{name=\"echo\",namespace=\"" + ns.name() + "\",phase=\"Initialized\"} 1";
      Scenario.await("the leader's /metrics to show Initialized", Duration.ofSeconds(30),
          () -> body(ports.get(leader), "/metrics").contains(series));
      assertThat(body(ports.get(follower), "/metrics")).as("the follower never reconciled the Rollout")
          .contains("plonk_rollout_controller_apiserver_requests_total").doesNotContain("plonk_rollout_status{");
      assertThat(client.leases().inNamespace(ns.name()).list().getItems()).hasSize(1);

      processes.get(leader).destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      Scenario.await("the follower to take the Lease", Duration.ofSeconds(90),
          () -> String.valueOf(holder(client, ns.name())).endsWith("-" + processes.get(follower).pid()));
      s.setVersion("v2");
      Scenario.await("the new leader to reconcile the new revision", Duration.ofSeconds(60), () -> {
        Rollout now = s.rollout();
        return now.getStatus().phase != Phase.Initialized && body(ports.get(follower), "/metrics")
            .contains("plonk_rollout_status{name=\"echo\",namespace=\"" + ns.name() + "\",phase=\"Initialized\"} 0");
      });
    } finally {
      for (Process p : processes) {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static String holder(KubernetesClient client, String ns) {
    Lease lease = client.leases().inNamespace(ns).withName("plonk-rollout-controller").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The Lease holder's identity ends in its pid (see RolloutControllerMain). */
  private static int leaderIndex(KubernetesClient client, String ns, List<Process> processes) {
    String holder = holder(client, ns);
    for (int i = 0; i < processes.size(); i++) {
      if (holder.endsWith("-" + processes.get(i).pid())) {
        return i;
      }
    }
    throw new AssertionError("the Lease holder " + holder + " is none of the started controllers " + processes);
  }

  private int status(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2))
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private String body(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
