package dev.plonk.cli;

import dev.plonk.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kubectl plonk list [-A]}: one line per Rollout. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the Rollouts of a namespace, or of all (-A).")
final class ListCommand implements Callable<Integer> {
  @Mixin
  Target target;

  @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace.")
  boolean all;

  @Override
  public Integer call() {
    try (KubernetesClient client = target.client()) {
      var resources = client.resources(Rollout.class);
      List<Rollout> rollouts = (all ? resources.inAnyNamespace().list() : resources.inNamespace(target.namespace(client)).list())
          .getItems().stream()
          .sorted(Comparator.comparing((Rollout r) -> r.getMetadata().getNamespace()).thenComparing(r -> r.getMetadata().getName()))
          .toList();
      if (rollouts.isEmpty()) {
        System.out.println(all ? "No rollouts in any namespace." : "No rollouts in namespace " + target.namespace(client) + ".");
        return 0;
      }
      Instant now = Instant.now();
      StringBuilder out = new StringBuilder();
      RolloutView.table(out, List.of("NAMESPACE", "NAME", "PHASE", "WEIGHT", "FAILED", "STRATEGY", "AGE"),
          rollouts.stream().map(r -> RolloutView.row(r, now)).toList(), "");
      System.out.print(out);
      return 0;
    }
  }
}
