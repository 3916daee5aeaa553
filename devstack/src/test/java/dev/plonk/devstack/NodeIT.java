package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node: a Deployment of a locally built image gets a ReplicaSet and running pods from the controller-manager,
 * the scheduler and the kubelet; its ClusterIP Service gets EndpointSlices, resolves through CoreDNS and answers a
 * client in another pod, through kube-proxy's rules.
 */
@DevStackTest(node = true)
class NodeIT {
  private static final String PROBE = "plonk.local/probe:1";
  private static final Map<String, String> WEB = Map.of("app", "web");

  @BeforeAll
  static void loadProbeImage(Node node, @TempDir Path tmp) {
    Path tar = tmp.resolve("probe.tar");
    Path root = ProjectLayout.root().resolve("devstack");
    Commands.run(300, "bash", root.resolve("go-image.sh").toString(), root.resolve("images/probe").toString(), PROBE,
        tar.toString());
    node.importImage(tar);
    assertThat(node.crictl("images")).contains("plonk.local/probe");
  }

  @Test
  void theNodeIsReadyWithItsOwnIdentity(KubernetesClient client, Node node) {
    var registered = client.nodes().withName(node.name()).get();
    assertThat(Kubelet.ready(registered)).isTrue();
    assertThat(registered.getStatus().getAddresses()).anyMatch(a -> a.getAddress().equals(node.nodeIp()));
    assertThat(registered.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://2.");
    assertThat(registered.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo(ControlPlaneBinaries.K8S_VERSION);
  }

  @Test
  void aDeploymentRunsOnPodsAndItsServiceAnswersByName(KubernetesClient client, TestNamespace ns, Node node) {
    client.apps().deployments().inNamespace(ns.name()).resource(webDeployment()).create();
    Service web = client.services().inNamespace(ns.name()).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withSelector(WEB).addNewPort().withPort(80).withTargetPort(new IntOrString(8080)).endPort()
        .endSpec().build()).create();

    Deployment ready = client.apps().deployments().inNamespace(ns.name()).withName("web")
        .waitUntilCondition(d -> d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()),
            180, TimeUnit.SECONDS);
    List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(ns.name()).withLabels(WEB).list().getItems();
    assertThat(replicaSets).hasSize(1);
    assertThat(replicaSets.get(0).getMetadata().getOwnerReferences())
        .anyMatch(o -> o.getUid().equals(ready.getMetadata().getUid()));
    List<Pod> pods = client.pods().inNamespace(ns.name()).withLabels(WEB).list().getItems();
    assertThat(pods).hasSize(2).allSatisfy(pod -> {
      assertThat(pod.getSpec().getNodeName()).isEqualTo(node.name());
      assertThat(pod.getStatus().getPodIP()).startsWith("10." + node.addresses().index() + ".0.");
      assertThat(pod.getMetadata().getOwnerReferences().get(0).getUid())
          .isEqualTo(replicaSets.get(0).getMetadata().getUid());
    });
    EndpointSlice slice = client.discovery().v1().endpointSlices().inNamespace(ns.name())
        .withLabel("kubernetes.io/service-name", "web")
        .waitUntilCondition(s -> s != null && s.getEndpoints() != null && s.getEndpoints().size() == 2
            // the EndpointSlice controller may list a pod before it copies the pod's readiness: wait for both
            && s.getEndpoints().stream().allMatch(e -> Boolean.TRUE.equals(e.getConditions().getReady())),
            60, TimeUnit.SECONDS);
    assertThat(slice.getEndpoints()).extracting(e -> e.getTargetRef().getName())
        .containsExactlyInAnyOrderElementsOf(pods.stream().map(p -> p.getMetadata().getName()).toList());
    assertThat(node.crictl("ps", "--name", "web", "-q").lines()).hasSize(2);

    // the host reaches a pod through the route to the node's pod subnet
    assertThat(Net.isOk("http://" + pods.get(0).getStatus().getPodIP() + ":8080/")).isTrue();

    node.awaitRouted(web.getSpec().getClusterIP(), Duration.ofSeconds(60));
    client.pods().inNamespace(ns.name()).resource(new PodBuilder().withNewMetadata().withName("client").endMetadata()
        .withNewSpec().withRestartPolicy("Never").withContainers(probe("client",
            "get", "http://web." + ns.name() + ".svc.cluster.local/")).endSpec().build()).create();
    Pod done = client.pods().inNamespace(ns.name()).withName("client").waitUntilCondition(
        p -> p != null && p.getStatus() != null && List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()),
        120, TimeUnit.SECONDS);
    String log = client.pods().inNamespace(ns.name()).withName("client").getLog();
    assertThat(done.getStatus().getPhase()).as("client pod log: %s", log).isEqualTo("Succeeded");
    assertThat(log).startsWith("200 hello from web-");
  }

  @Test
  void podsHaveNoWayOffTheMachine(KubernetesClient client, TestNamespace ns, Node node) {
    assertThat(node.inNetwork("ip", "-4", "route")).doesNotContain("default");
    assertThat(node.inNetwork("iptables", "-w", "-S", "FORWARD"))
        .contains("-A FORWARD ! -d " + node.addresses().hostIp() + "/32 -o eth0 -j DROP");
    // CoreDNS has no forwarder: a name outside cluster.local does not resolve (nothing leaves the node)
    client.pods().inNamespace(ns.name()).resource(new PodBuilder().withNewMetadata().withName("outside").endMetadata()
        .withNewSpec().withRestartPolicy("Never").withContainers(probe("outside", "get", "http://example.com/"))
        .endSpec().build()).create();
    Pod done = client.pods().inNamespace(ns.name()).withName("outside").waitUntilCondition(
        p -> p != null && p.getStatus() != null && List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()),
        120, TimeUnit.SECONDS);
    assertThat(done.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(client.pods().inNamespace(ns.name()).withName("outside").getLog()).contains("lookup example.com");
  }

  private static Deployment webDeployment() {
    return new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(WEB).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(WEB).endMetadata()
        .withNewSpec().withContainers(new ContainerBuilder(probe("web", "serve"))
            .addNewPort().withContainerPort(8080).endPort()
            .withNewReadinessProbe().withNewHttpGet().withPath("/").withPort(new IntOrString(8080)).endHttpGet()
            .withPeriodSeconds(1).endReadinessProbe().build())
        .endSpec().endTemplate().endSpec().build();
  }

  private static io.fabric8.kubernetes.api.model.Container probe(String name, String... args) {
    return new ContainerBuilder().withName(name).withImage(PROBE).withImagePullPolicy("Never").withArgs(args)
        .withNewSecurityContext().withRunAsNonRoot(true).withReadOnlyRootFilesystem(true).endSecurityContext().build();
  }
}
