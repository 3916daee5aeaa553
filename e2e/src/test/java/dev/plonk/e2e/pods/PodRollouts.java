package dev.plonk.e2e.pods;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;

import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.e2e.Rollouts;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * One function's Rollout on pods, for the scenarios that need the real node's readiness and controllers rather than
 * traffic: analysis without metric checks (each tick steps the weight: 20, 40, 60, every 2 s), the Rollout read as
 * the controller wrote it, the Events of any object, and the function removed afterwards.
 */
final class PodRollouts {
  private final PlonkInstall plonk;
  private final String name;

  PodRollouts(PlonkInstall plonk, String name) {
    this.plonk = plonk;
    this.name = name;
  }

  /** Applies the Rollout of this function: SMI, analysis without checks, the given deadline and extra spec lines. */
  void applyRollout(int deadlineSeconds, String extraSpec) {
    String yaml = Echo.rollout(FUNCTIONS, name, "smi", deadlineSeconds, """
        interval: 2s
        threshold: 2
        stepWeight: 20
        maxWeight: 60
        """) + extraSpec.indent(2);
    try {
      Path manifest = Files.createTempFile("rollout-" + name, ".yaml");
      Files.writeString(manifest, yaml);
      plonk.cluster().kubectl("apply", "-f", manifest.toString());
      Files.delete(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Rollout rollout() {
    return client().resources(Rollout.class).inNamespace(FUNCTIONS).withName(name).get();
  }

  /** Merge-patches the Rollout's spec, as {@code kubectl patch --type=merge} would. */
  void patchSpec(String json) {
    client().resources(Rollout.class).inNamespace(FUNCTIONS).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + json + "}");
  }

  /** Waits until the Rollout's status satisfies {@code condition}; the failure shows the status and its Events. */
  Rollout await(String what, Duration timeout, Predicate<Rollout> condition) {
    try {
      Rollouts.await(name + ": " + what, timeout, () -> {
        Rollout r = rollout();
        return r != null && r.getStatus() != null && condition.test(r);
      });
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + Rollouts.explain(client(), FUNCTIONS, name), e);
    }
    return rollout();
  }

  Rollout awaitPhase(String phase, Duration timeout) {
    return await("phase " + phase, timeout, r -> r.getStatus().phase != null && phase.equals(r.getStatus().phase.name()));
  }

  /** A Deployment's spec.replicas (1 when unset, as the apiserver defaults it). */
  int replicas(String deployment) {
    Integer r = client().apps().deployments().inNamespace(FUNCTIONS).withName(deployment).get().getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  /** Events about the object {@code kind/object} of the function namespace, oldest first. */
  List<Event> events(String kind, String object) {
    return client().v1().events().inNamespace(FUNCTIONS).list().getItems().stream()
        .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && object.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp()))).toList();
  }

  /** Events of objects whose name starts with {@code prefix} (pods, ReplicaSets), oldest first. */
  List<Event> eventsOfNamesStartingWith(String kind, String prefix) {
    return client().v1().events().inNamespace(FUNCTIONS).list().getItems().stream()
        .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && e.getInvolvedObject().getName().startsWith(prefix))
        .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp()))).toList();
  }

  /**
   * Deletes the Rollout (its finalizer leaves the primary in place: revertOnDeletion is false), then everything of
   * the function, so that the suite's other scenarios share a clean namespace.
   */
  void delete() {
    client().resources(Rollout.class).inNamespace(FUNCTIONS).withName(name).delete();
    Rollouts.await("Rollout " + name + " deleted", Duration.ofMinutes(2), () -> rollout() == null);
    for (String deployment : List.of(name, name + "-primary")) {
      client().apps().deployments().inNamespace(FUNCTIONS).withName(deployment).delete();
      client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(FUNCTIONS).withName(deployment).delete();
    }
    for (String service : List.of(name, name + "-primary", name + "-canary")) {
      client().services().inNamespace(FUNCTIONS).withName(service).delete();
    }
    plonk.cluster().kubectl("delete", "trafficsplits.split.smi-spec.io", name, "-n", FUNCTIONS, "--ignore-not-found");
  }

  KubernetesClient client() {
    return plonk.client();
  }
}
