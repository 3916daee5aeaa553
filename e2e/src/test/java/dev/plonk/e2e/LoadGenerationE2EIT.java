package dev.plonk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStack;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.PlonkComponents;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Built-in load generation on the whole devstack (functions as processes, the real gateway in direct mode, Prometheus
 * scraping it, the controller as a process with {@code --gateway-url}): no client sends any traffic. A quiet canary is
 * promoted on generated traffic alone; a blue/green canary at weight 0 gets a real verdict from it, promoted when
 * healthy and rolled back when half its calls fail. The gateway counts the load under the function and its canary
 * backend with {@code source="loadgen"}, which is what the analysis read; the generator starts with each analysis and
 * stops with it.
 */
@DevStackTest(processRuntime = true, prometheus = true, nats = true, upstreamCrds = true)
class LoadGenerationE2EIT {
  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(4);

  static String rollout(String namespace, String name, String strategy) {
    return """
        apiVersion: plonk.dev/v1alpha1
        kind: Rollout
        metadata:
          name: %2$s
          namespace: %1$s
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: %2$s}
          service: {port: 8080}
          provider: smi
          strategy: %3$s
          progressDeadlineSeconds: 180
          analysis:
            interval: 3s
            threshold: 5   # the first ticks may find no data yet: the load and its series start with the analysis
            stepWeights: [50]
            iterations: 3
            metricsObserver: gateway
            load:
              rate: 20
              concurrency: 4
              method: POST
              path: /generated?by=plonk
              body: ping
              headers: {Content-Type: text/plain}
            metrics:
            - name: request-success-rate
              interval: 10s
              thresholdRange: {min: 99}
            - name: request-duration
              interval: 10s
              thresholdRange: {max: 1000}
        """.formatted(namespace, name, strategy);
  }

  @Test
  void quietAndBlueGreenCanariesGetARealVerdictFromGeneratedLoadOnly(DevStack stack, Kubernetes kubernetes,
      KubernetesClient client, TestNamespace ns) throws Exception {
    String n = ns.name();
    Kubectl kubectl = new Kubectl(kubernetes);
    try (PlonkComponents plonk = new PlonkComponents(stack, PlonkComponents.Launch.CLASS_PATH)) {
      plonk.gateway(n);
      String controller = plonk.controller();
      for (String name : List.of("quiet", "bg")) {
        client.apps().deployments().inNamespace(n).resource(CanaryE2EIT.echo(n, name, "v1", "0")).create();
        apply(kubectl, rollout(n, name, name.equals("bg") ? "blueGreen" : "canary"));
      }
      for (String name : List.of("quiet", "bg")) {
        Rollouts.watchWeightsUntilPhase(client, n, name, "Initialized", PHASE_TIMEOUT);
      }
      assertThat(reasons(client, n, "quiet")).as("no analysis yet, no load").doesNotContain("LoadStarted");

      // healthy v2 of both, with no client traffic at all: each analysis is fed by the generator only
      for (String name : List.of("quiet", "bg")) {
        CanaryE2EIT.release(client, CanaryE2EIT.echo(n, name, "v2", "0"));
      }
      List<Integer> quietWeights = Rollouts.watchWeightsUntilPhase(client, n, "quiet", "Succeeded", PHASE_TIMEOUT);
      List<Integer> bgWeights = Rollouts.watchWeightsUntilPhase(client, n, "bg", "Succeeded", PHASE_TIMEOUT);
      assertThat(quietWeights).as("the quiet canary walked its weights").contains(50);
      assertThat(bgWeights).as("the blue/green canary was analysed at weight 0").doesNotContain(50);
      for (String name : List.of("quiet", "bg")) {
        assertThat(successRate(client, n, name)).as("%s: success rate measured on generated load", name)
            .isGreaterThanOrEqualTo(99.0);
        assertThat(primaryVersion(client, n, name)).isEqualTo("v2");
        assertThat(reasons(client, n, name)).as(name).containsSubsequence("LoadStarted", "LoadStopped");
        assertThat(message(client, n, name, "LoadStopped")).contains("the analysis ended (phase Promoting)");
        double generated = stack.prometheus().queryValue("sum(plonk_gateway_backend_requests_total{namespace=\"" + n
            + "\",function=\"" + name + "\",backend=\"" + name + "-canary\",source=\"loadgen\",code=\"200\"})").orElse(0.0);
        assertThat(generated).as("%s: generated calls counted under the function and its canary backend", name)
            .isGreaterThan(20);
      }
      assertThat(stack.prometheus().queryValue("sum(plonk_gateway_backend_requests_total{namespace=\"" + n
          + "\",source=\"user\"})")).as("no user traffic at all").isEmpty();

      // a failing v3 of the blue/green function: rolled back on the generated calls' success rate
      CanaryE2EIT.release(client, CanaryE2EIT.echo(n, "bg", "v3", "0.5"));
      Rollouts.watchWeightsUntilPhase(client, n, "bg", "Failed", PHASE_TIMEOUT);
      assertThat(successRate(client, n, "bg")).as("the failing canary's measured success rate").isLessThan(90.0);
      assertThat(primaryVersion(client, n, "bg")).as("the primary keeps v2").isEqualTo("v2");
      assertThat(Rollouts.splitWeights(client, n, "bg")).isEqualTo(Map.of("bg-primary", 100, "bg-canary", 0));
      Rollouts.await("the LoadStopped Event of the rollback", Duration.ofSeconds(30),
          () -> message(client, n, "bg", "LoadStopped").contains("phase Failed"));
      String metrics = get(controller + "/metrics");
      assertThat(metrics).contains("plonk_rollout_load_active{name=\"bg\",namespace=\"" + n + "\"} 0.0",
          "plonk_rollout_load_active{name=\"quiet\",namespace=\"" + n + "\"} 0.0");
      assertThat(metrics).containsPattern("plonk_rollout_load_requests_total\\{name=\"bg\",namespace=\"" + n
          + "\",outcome=\"5xx\"} [1-9]");

      // an analysis that does not end by itself (1,000 iterations): suspend stops the load, resume starts it again,
      // deleting the Rollout stops it
      kubectl.run("patch", "rollout", "bg", "-n", n, "--type=merge", "-p", "{\"spec\":{\"analysis\":{\"iterations\":1000}}}").ok();
      CanaryE2EIT.release(client, CanaryE2EIT.echo(n, "bg", "v4", "0"));
      Rollouts.await("the v4 analysis loaded", PHASE_TIMEOUT, () -> count(client, n, "bg", "LoadStarted") == 3);
      kubectl.run("patch", "rollout", "bg", "-n", n, "--type=merge", "-p", "{\"spec\":{\"suspend\":true}}").ok();
      Rollouts.await("the load stopped by suspend", Duration.ofSeconds(60),
          () -> message(client, n, "bg", "LoadStopped").contains("suspended (spec.suspend)"));
      assertThat(get(controller + "/metrics")).contains("plonk_rollout_load_active{name=\"bg\",namespace=\"" + n + "\"} 0.0");
      kubectl.run("patch", "rollout", "bg", "-n", n, "--type=merge", "-p", "{\"spec\":{\"suspend\":false}}").ok();
      Rollouts.await("the load started again on resume", Duration.ofSeconds(60),
          () -> count(client, n, "bg", "LoadStarted") == 4);
      assertThat(Rollouts.phase(client, n, "bg")).isEqualTo("Progressing");
      kubectl.run("delete", "rollout", "bg", "-n", n, "--wait=true").ok();
      Rollouts.await("the load stopped by deletion", Duration.ofSeconds(60),
          () -> message(client, n, "bg", "LoadStopped").contains("being deleted"));
      assertThat(get(controller + "/metrics")).contains("plonk_rollout_load_active{name=\"bg\",namespace=\"" + n + "\"} 0.0");
      for (String name : List.of("quiet", "bg")) {
        events(client, n, name).stream().filter(e -> e.getReason().startsWith("Load"))
            .forEach(e -> System.out.println("[loadgen] " + name + " " + e.getReason() + ": " + e.getMessage()));
      }
    }
  }

  private static long count(KubernetesClient client, String n, String name, String reason) {
    return reasons(client, n, name).stream().filter(reason::equals).count();
  }

  private static void apply(Kubectl kubectl, String yaml) throws Exception {
    Path manifest = Files.createTempFile("rollout", ".yaml");
    Files.writeString(manifest, yaml);
    kubectl.run("apply", "-f", manifest.toString()).ok();
  }

  @SuppressWarnings("unchecked")
  private static double successRate(KubernetesClient client, String n, String name) {
    GenericKubernetesResource r = client.genericKubernetesResources(Rollouts.ROLLOUTS).inNamespace(n).withName(name).get();
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    for (Map<String, Object> result : (List<Map<String, Object>>) status.get("lastAnalysis")) {
      if ("request-success-rate".equals(result.get("metric"))) {
        return ((Number) result.get("value")).doubleValue();
      }
    }
    throw new AssertionError("no request-success-rate in " + status);
  }

  private static String primaryVersion(KubernetesClient client, String n, String name) {
    return client.apps().deployments().inNamespace(n).withName(name + "-primary").get().getSpec().getTemplate()
        .getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals("VERSION")).findFirst()
        .orElseThrow().getValue();
  }

  private static List<Event> events(KubernetesClient client, String n, String name) {
    return client.v1().events().inNamespace(n).withField("involvedObject.name", name).list().getItems().stream()
        .filter(e -> "Rollout".equals(e.getInvolvedObject().getKind()))
        .sorted(java.util.Comparator.comparing(Event::getFirstTimestamp).thenComparing(e -> e.getMetadata().getName()))
        .toList();
  }

  private static List<String> reasons(KubernetesClient client, String n, String name) {
    return events(client, n, name).stream().map(Event::getReason).toList();
  }

  /** The message of the last Event with this reason, or "". */
  private static String message(KubernetesClient client, String n, String name, String reason) {
    return events(client, n, name).stream().filter(e -> reason.equals(e.getReason())).reduce((a, b) -> b)
        .map(Event::getMessage).orElse("");
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
