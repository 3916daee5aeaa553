package dev.plonk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.controller.RolloutControllerMain;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.ProjectLayout;
import dev.plonk.gateway.GatewayMain;
import dev.plonk.queue.QueueWorkerMain;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The install overlays are accepted by the real apiserver (with the upstream Linkerd CRDs for the mesh overlay), every
 * container's args are flags its main really has, with values it can parse, and the no-mesh overlays hold no object of
 * Linkerd's API groups (so they need none of its CRDs).
 */
@DevStackTest(upstreamCrds = true)
class DeployManifestsIT {
  private static final Map<String, Supplier<Object>> MAINS = Map.of(
      "plonk-gateway", GatewayMain::new,
      "plonk-rollout-controller", RolloutControllerMain::new,
      "plonk-queue-worker", QueueWorkerMain::new);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "deploy/overlays/linkerd, --routing=mesh, --default-metrics-observer=linkerd",
      "deploy/overlays/direct, --routing=direct, --default-metrics-observer=gateway",
      "deploy/overlays/devstack, --routing=direct, --default-metrics-observer=gateway"})
  void manifestsApplyAndArgsParse(String folder, String routing, String observer, Kubernetes kubernetes,
      KubernetesClient client) {
    String out = new Kubectl(kubernetes).run("apply", "--server-side", "--force-conflicts", "-k",
        ProjectLayout.root().resolve(folder).toString()).ok().output();
    assertThat(out).contains("deployment.apps/plonk-gateway serverside-applied",
        "deployment.apps/plonk-rollout-controller serverside-applied", "deployment.apps/plonk-queue-worker serverside-applied",
        "deployment.apps/nats serverside-applied",
        "customresourcedefinition.apiextensions.k8s.io/rollouts.plonk.dev serverside-applied",
        "customresourcedefinition.apiextensions.k8s.io/alertproviders.plonk.dev serverside-applied");
    if (folder.endsWith("linkerd")) {
      assertThat(out).contains("server.policy.linkerd.io/functions-http serverside-applied");
    } else {
      assertThat(out).contains("deployment.apps/prometheus serverside-applied", "clusterrole.rbac.authorization.k8s.io/plonk-prometheus serverside-applied");
    }

    List<Deployment> deployments = client.apps().deployments().inNamespace("plonk-system").list().getItems();
    assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsAll(MAINS.keySet());
    for (Deployment deployment : deployments) {
      Supplier<Object> main = MAINS.get(deployment.getMetadata().getName());
      if (main == null) {
        continue;   // nats
      }
      List<String> args = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
      CommandLine.ParseResult parsed = new CommandLine(main.get()).parseArgs(args.toArray(String[]::new));
      assertThat(parsed.unmatched()).as(deployment.getMetadata().getName() + " args " + args).isEmpty();
    }
    assertThat(args(client, "plonk-gateway")).contains(routing);
    assertThat(args(client, "plonk-rollout-controller")).contains(observer, "--namespaces=openfaas-fn");
  }

  @Test
  void noMeshOverlaysHoldNoLinkerdObjects(Kubernetes kubernetes) {
    for (String folder : List.of("deploy/overlays/direct", "deploy/overlays/devstack")) {
      String rendered = new Kubectl(kubernetes).run("kustomize", ProjectLayout.root().resolve(folder).toString()).ok().output();
      assertThat(rendered).as(folder).contains("kind: Deployment").doesNotContain("linkerd.io/", "linkerd.io~");
    }
  }

  @Test
  void devstackOverlayOnlySwapsImagesForLocalOnes(Kubernetes kubernetes) {
    Kubectl kubectl = new Kubectl(kubernetes);
    String direct = kubectl.run("kustomize", ProjectLayout.root().resolve("deploy/overlays/direct").toString()).ok().output();
    String devstack = kubectl.run("kustomize", ProjectLayout.root().resolve("deploy/overlays/devstack").toString()).ok().output();
    List<String> images = devstack.lines().filter(l -> l.trim().startsWith("image: ")).map(l -> l.trim().substring(7)).toList();
    assertThat(images).containsExactlyInAnyOrder("plonk.local/gateway:dev", "plonk.local/rollout-controller:dev",
        "plonk.local/queue-worker:dev", "plonk.local/nats:dev", "plonk.local/prometheus:dev");
    assertThat(devstack.replaceAll("image: .*", "image:")).isEqualTo(direct.replaceAll("image: .*", "image:"));
  }

  private static List<String> args(KubernetesClient client, String deployment) {
    return client.apps().deployments().inNamespace("plonk-system").withName(deployment).get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }
}
