package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tracked config's change is watched, not polled: the analysis interval (also the steady resync) is 10 minutes, so
 * a settled rollout is not reconciled again within the test unless something wakes it; the edit of a ConfigMap or a
 * Secret its target references must, through the controller's config informers. Asserts the NewRevision Event and the
 * status (a new revision under analysis) the edit produced; the primary's copy keeps the old data (it changes only on promotion).
 */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class ConfigWatchIT {
  /** Far longer than any wait below: a poll would not come in time. */
  private static final String INTERVAL = "10m";
  /** Generous for a loaded machine, and still far shorter than {@link #INTERVAL}. */
  private static final Duration WAKE = Duration.ofSeconds(120);

  @Test
  void configMapEditWakesTheRolloutAtOnce(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      client.resource(configMap(ns.name(), "hello")).serverSideApply();
      s.echo.configMap = "echo-config";
      s.bootstrap(spec -> spec.analysis.interval = INTERVAL);
      editWakesTheRollout(s, "ConfigMap/echo-config", () -> client.resource(configMap(ns.name(), "bonjour"))
          .fieldManager("kubectl").forceConflicts().serverSideApply());
      assertThat(client.configMaps().inNamespace(ns.name()).withName(s.primaryEnvFrom()).get().getData())
          .as("the primary keeps its copy until promotion").containsEntry("GREETING", "hello");
    }
  }

  @Test
  void secretEditWakesTheRolloutAtOnce(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      client.resource(secret(ns.name(), "s3cret")).serverSideApply();
      s.createTarget("v1");
      s.kubectl("patch", "deployment", Scenario.TARGET, "--type=json", "-p", "[{\"op\":\"add\","
          + "\"path\":\"/spec/template/spec/containers/0/envFrom\",\"value\":[{\"secretRef\":{\"name\":\"echo-secret\"}}]}]");
      s.startOperator();
      s.createRollout(spec -> spec.analysis.interval = INTERVAL);
      s.awaitPhase(Phase.Initialized, Duration.ofSeconds(60));
      editWakesTheRollout(s, "Secret/echo-secret", () -> client.resource(secret(ns.name(), "n3w"))
          .fieldManager("kubectl").forceConflicts().serverSideApply());
      assertThat(decode(client.secrets().inNamespace(ns.name()).withName(s.primaryEnvFrom()).get().getData()))
          .as("the primary keeps its copy until promotion").isEqualTo("s3cret");
    }
  }

  /**
   * Initialized, the target scaled to 0 and seen so by the process runtime: from here nothing changes on its own, and
   * the next reconcile without an event is one interval away.
   */
  private static Rollout settled(Scenario s) {
    Scenario.await("the target at 0 replicas, its status observed", Duration.ofSeconds(30), () -> {
      Deployment d = s.deployment(Scenario.TARGET);
      return d.getStatus() != null && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
          && Integer.valueOf(0).equals(d.getSpec().getReplicas());
    });
    Rollout r = s.rollout();
    assertThat(r.getStatus().phase).isEqualTo(Phase.Initialized);
    return r;
  }

  /**
   * Settles the rollout tracking exactly {@code tracked}, edits the config, and waits for the NewRevision Event naming
   * the settled revision; the status then analyses a new one.
   */
  private static void editWakesTheRollout(Scenario s, String tracked, Runnable edit) {
    Rollout settled = settled(s);
    assertThat(settled.getStatus().trackedConfigs).extracting(c -> c.kind + "/" + c.name).containsExactly(tracked);
    edit.run();
    Scenario.await("a NewRevision Event for the edited config (the interval is " + INTERVAL + ": only a watch wakes "
        + "the rollout in time)", WAKE, () -> s.eventReasons().contains("NewRevision"));
    Rollout woken = s.rollout();
    assertThat(woken.getStatus().lastAppliedSpec).as("the edited config is a new revision under analysis")
        .isNotEqualTo(settled.getStatus().lastAppliedSpec);
    assertThat(s.events()).filteredOn(e -> "NewRevision".equals(e.getReason())).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(settled.getStatus().lastAppliedSpec));
    assertThat(woken.getStatus().phase).isIn(Phase.Waiting, Phase.Progressing);
  }

  private static HasMetadata configMap(String ns, String greeting) {
    return new ConfigMapBuilder().withNewMetadata().withName("echo-config").withNamespace(ns).endMetadata()
        .addToData("GREETING", greeting).build();
  }

  private static HasMetadata secret(String ns, String token) {
    return new SecretBuilder().withNewMetadata().withName("echo-secret").withNamespace(ns).endMetadata()
        .addToData("TOKEN", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))).build();
  }

  private static String decode(Map<String, String> data) {
    return new String(Base64.getDecoder().decode(data.get("TOKEN")), StandardCharsets.UTF_8);
  }
}
