package dev.plonk.e2e;

import dev.plonk.devstack.Net;
import dev.plonk.mesh.router.SplitReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.smi_spec.split.v1alpha2.TrafficSplit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What the e2e scenarios read of a Rollout and its TrafficSplit, and how they wait for it. */
public final class Rollouts {
  public static final ResourceDefinitionContext ROLLOUTS = new ResourceDefinitionContext.Builder()
      .withGroup("plonk.dev").withVersion("v1alpha1").withKind("Rollout").withPlural("rollouts").withNamespaced(true).build();

  private Rollouts() {
  }

  /** Polls the TrafficSplit {@code name} while waiting for a phase; returns the distinct canary weights seen, in order. */
  public static List<Integer> watchWeightsUntilPhase(KubernetesClient client, String n, String name, String phase,
      Duration timeout) {
    List<Integer> seen = new ArrayList<>();
    try {
      await("Rollout " + n + "/" + name + " phase " + phase, timeout, () -> {
        Integer canary = splitWeights(client, n, name).get(name + "-canary");
        if (canary != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(canary))) {
          seen.add(canary);
        }
        return phase.equals(phase(client, n, name));
      });
    } catch (RuntimeException e) {
      throw new AssertionError(e.getMessage() + "; canary weights seen " + seen + "\n" + explain(client, n, name), e);
    }
    return seen;
  }

  /** The Rollout's phase, conditions and latest Events, for a failure message. */
  public static String explain(KubernetesClient client, String n, String name) {
    GenericKubernetesResource rollout = client.genericKubernetesResources(ROLLOUTS).inNamespace(n).withName(name).get();
    Object status = rollout == null ? null : rollout.getAdditionalProperties().get("status");
    StringBuilder text = new StringBuilder("status: ").append(status).append("\nevents:");
    client.v1().events().inNamespace(n).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && "Rollout".equals(e.getInvolvedObject().getKind()))
        .sorted(java.util.Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
        .forEach(e -> text.append("\n  ").append(e.getLastTimestamp()).append(' ').append(e.getReason())
            .append(": ").append(e.getMessage()));
    return text.toString();
  }

  /** The Rollout's status.phase, or null. */
  public static String phase(KubernetesClient client, String n, String name) {
    GenericKubernetesResource rollout = client.genericKubernetesResources(ROLLOUTS).inNamespace(n).withName(name).get();
    Object status = rollout == null ? null : rollout.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> s ? (String) s.get("phase") : null;
  }

  /** The TrafficSplit's weight per backend Service, read as the gateway reads it; empty when it does not exist. */
  public static Map<String, Integer> splitWeights(KubernetesClient client, String n, String name) {
    TrafficSplit split = client.resources(TrafficSplit.class).inNamespace(n).withName(name).get();
    Map<String, Integer> weights = new HashMap<>();
    if (split != null) {
      SplitReader.fromTrafficSplit(split).ifPresent(s -> s.backends().forEach(b -> weights.put(b.service(), b.weight())));
    }
    return weights;
  }

  /**
   * Waits for the TrafficSplit {@code name} to be back at 100/0. After a rollback the controller commits the status
   * ({@code Failed}) first and writes the route after it, so a test never reads the route once right after the phase.
   */
  public static void awaitPrimaryOnly(KubernetesClient client, String n, String name) {
    Map<String, Integer> primaryOnly = Map.of(name + "-primary", 100, name + "-canary", 0);
    await(n + "/" + name + " routed 100/0 to the primary", Duration.ofSeconds(60),
        () -> primaryOnly.equals(splitWeights(client, n, name)));
  }

  /** Polls {@code condition} every 150 ms until it holds, or fails after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    Net.await(what, timeout, () -> {
      boolean done = condition.getAsBoolean();
      if (!done) {
        try {
          Thread.sleep(150);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return done;
    }, null);
  }
}
