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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The install manifests are accepted by the real apiserver (with the upstream Linkerd CRDs), and every container's
 * args are flags its main really has, with values it can parse.
 */
@DevStackTest(upstreamCrds = true)
class DeployManifestsIT {
  private static final Map<String, Supplier<Object>> MAINS = Map.of(
      "plonk-gateway", GatewayMain::new,
      "plonk-rollout-controller", RolloutControllerMain::new,
      "plonk-queue-worker", QueueWorkerMain::new);

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/direct"})
  void manifestsApplyAndArgsParse(String folder, Kubernetes kubernetes, KubernetesClient client) {
    String out = new Kubectl(kubernetes).run("apply", "--server-side", "--force-conflicts", "-k",
        ProjectLayout.root().resolve(folder).toString()).ok().output();
    assertThat(out).contains("deployment.apps/plonk-gateway serverside-applied",
        "deployment.apps/plonk-rollout-controller serverside-applied", "deployment.apps/plonk-queue-worker serverside-applied",
        "server.policy.linkerd.io/functions-http serverside-applied");

    List<Deployment> deployments = client.apps().deployments().inNamespace("plonk-system").list().getItems();
    assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsAll(MAINS.keySet());
    for (Deployment deployment : deployments) {
      Supplier<Object> main = MAINS.get(deployment.getMetadata().getName());
      List<String> args = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
      CommandLine.ParseResult parsed = new CommandLine(main.get()).parseArgs(args.toArray(String[]::new));
      assertThat(parsed.unmatched()).as(deployment.getMetadata().getName() + " args " + args).isEmpty();
    }
    String routing = client.apps().deployments().inNamespace("plonk-system").withName("plonk-gateway").get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().stream()
        .filter(a -> a.startsWith("--routing=")).findFirst().orElseThrow();
    assertThat(routing).isEqualTo(folder.endsWith("direct") ? "--routing=direct" : "--routing=mesh");
  }
}
