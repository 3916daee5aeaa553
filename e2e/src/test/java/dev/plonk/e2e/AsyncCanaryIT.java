package dev.plonk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStack;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Net;
import dev.plonk.devstack.PlonkComponents;
import dev.plonk.devstack.TestNamespace;
import dev.plonk.mesh.router.RouteTarget;
import dev.plonk.mesh.router.SmiTrafficSplitRouter;
import dev.plonk.mesh.router.Weights;
import dev.plonk.queue.CallbackReceiver;
import dev.plonk.queue.CallbackReceiver.Callback;
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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Async calls follow the canary: a call queued on {@code /async-function} is split by the same weights as a sync call
 * when the queue-worker runs it, and is counted per backend in the series the analysis reads
 * ({@code plonk_gateway_backend_requests_total}). Both tests assert on those series, so they keep guarding the
 * contract if the worker ever stops calling functions through the gateway.
 */
@DevStackTest(processRuntime = true, prometheus = true, nats = true, upstreamCrds = true)
class AsyncCanaryIT {
  private static final int CALLS = 1000;

  @Test
  void queuedCallsAreSplitByTheCanaryWeightAndCountedPerBackend(DevStack stack, KubernetesClient client,
      TestNamespace ns) throws Exception {
    String n = ns.name();
    try (EchoFunction primary = new EchoFunction("primary");
        EchoFunction canary = new EchoFunction("canary");
        CallbackReceiver receiver = new CallbackReceiver().start();
        PlonkComponents plonk = new PlonkComponents(stack, PlonkComponents.Launch.CLASS_PATH)) {
      GatewayAsyncIT.register(client, n, "echo", primary.port());
      GatewayAsyncIT.register(client, n, "echo-primary", primary.port());
      GatewayAsyncIT.register(client, n, "echo-canary", canary.port());
      // the weights the rollout-controller's SMI router writes for a canary at 20 %
      new SmiTrafficSplitRouter(client, "plonk-e2e").setWeights(new RouteTarget(n, "echo", 8080, null),
          new Weights(80, 20));
      String gateway = plonk.gateway(n);
      plonk.queueWorker(gateway, n);
      String sync = gateway + "/function/echo." + n;
      Net.await("the gateway to send a call to the canary", Duration.ofSeconds(30),
          () -> "canary".equals(syncVersion(sync)), null);
      Set<String> accepted = GatewayAsyncIT.submit(gateway + "/async-function/echo." + n, receiver.url(), CALLS);
      assertThat(accepted).hasSize(CALLS);
      Net.await("callbacks for all " + CALLS + " calls", Duration.ofSeconds(120),
          () -> receiver.distinctCalls() == CALLS, null);

      Map<String, Long> byVersion = receiver.received().stream()
          .collect(Collectors.groupingBy(cb -> cb.header("X-Function-Version") + " " + cb.functionStatus(),
              Collectors.counting()));
      System.out.printf("async calls at 80/20: callbacks by version %s (%d duplicates)%n", byVersion,
          receiver.duplicates());
      assertThat(byVersion).containsOnlyKeys("primary 200", "canary 200");
      double canaryShare = byVersion.get("canary 200") / (double) receiver.received().size();
      assertThat(canaryShare).as("the canary's share of the queued calls").isBetween(0.15, 0.25);

      // the analysis sees them: every call a backend served (the sync probes and the queued calls) is counted under it
      Net.await("the gateway's per-backend counts to match what each function served", Duration.ofSeconds(10), () -> {
        Map<String, Double> counted = backendRequests(gateway, n);
        return counted.getOrDefault("echo-canary 200", 0.0) == canary.calls()
            && counted.getOrDefault("echo-primary 200", 0.0) == primary.calls();
      }, null);
    }
  }

  @Test
  void aHealthyCanaryIsPromotedAndAFailingOneRolledBackOnQueuedCallsAlone(DevStack stack, Kubernetes kubernetes,
      KubernetesClient client, TestNamespace ns) throws Exception {
    String n = ns.name();
    Kubectl kubectl = new Kubectl(kubernetes);
    try (CallbackReceiver receiver = new CallbackReceiver().start();
        PlonkComponents plonk = new PlonkComponents(stack, PlonkComponents.Launch.CLASS_PATH)) {
      String gateway = plonk.gateway(n);
      plonk.queueWorker(gateway, n);
      client.apps().deployments().inNamespace(n).resource(CanaryE2EIT.echo(n, "v1", "0")).create();
      plonk.controller();
      Path manifest = Files.createTempFile("rollout", ".yaml");
      Files.writeString(manifest, CanaryE2EIT.rollout(n));
      kubectl.run("apply", "-f", manifest.toString()).ok();
      Rollouts.watchWeightsUntilPhase(client, n, "echo", "Initialized", Duration.ofMinutes(2));

      // the only traffic is queued: without it counted, the analysis would have no data and fail the healthy canary
      try (AsyncTraffic traffic = new AsyncTraffic(gateway + "/async-function/echo." + n, receiver.url())) {
        Rollouts.await("callbacks from v1", Duration.ofSeconds(60), () -> count(receiver, 0, "v1 200") > 50);

        int mark = receiver.received().size();
        CanaryE2EIT.release(client, CanaryE2EIT.echo(n, "v2", "0"));
        List<Integer> weights = Rollouts.watchWeightsUntilPhase(client, n, "echo", "Succeeded", Duration.ofMinutes(3));
        assertThat(weights).as("canary weights seen").contains(20, 40, 60);
        assertThat(backendRequests(gateway, n)).as("queued calls the canary served, as the analysis counts them")
            .hasEntrySatisfying("echo-canary 200", c -> assertThat(c).isPositive());
        Rollouts.await("callbacks from the promoted v2", Duration.ofSeconds(60),
            () -> count(receiver, mark, "v2 200") > 50);
        assertThat(since(receiver, mark)).as("callbacks during a healthy rollout").allSatisfy(cb ->
            assertThat(cb.functionStatus()).isEqualTo(200));

        // v3 fails half its calls; the worker retries them, but every failed attempt is counted on the canary
        CanaryE2EIT.release(client, CanaryE2EIT.echo(n, "v3", "0.5"));
        Rollouts.watchWeightsUntilPhase(client, n, "echo", "Failed", Duration.ofMinutes(3));
        Object status = client.genericKubernetesResources(Rollouts.ROLLOUTS).inNamespace(n).withName("echo").get()
            .getAdditionalProperties().get("status");
        assertThat(String.valueOf(status)).contains("request-success-rate");
        assertThat(backendRequests(gateway, n)).as("the canary's failed queued calls, as the analysis counts them")
            .hasEntrySatisfying("echo-canary 500", c -> assertThat(c).isPositive());
        Rollouts.awaitPrimaryOnly(client, n, "echo");
        System.out.printf("async-only rollout: %d calls queued, %d refused, %d callbacks, backends %s%n",
            traffic.accepted(), traffic.refused(), receiver.received().size(), backendRequests(gateway, n));
        assertThat(traffic.refused()).isZero();
      }
    }
  }

  private static List<Callback> since(CallbackReceiver receiver, int mark) {
    List<Callback> all = List.copyOf(receiver.received());   // a snapshot: callbacks keep arriving meanwhile
    return all.subList(Math.min(mark, all.size()), all.size());
  }

  private static long count(CallbackReceiver receiver, int mark, String versionAndStatus) {
    return since(receiver, mark).stream()
        .filter(cb -> versionAndStatus.equals(cb.header("X-Function-Version") + " " + cb.functionStatus())).count();
  }

  private static String syncVersion(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.discarding()).headers().firstValue("X-Function-Version").orElse("");
    } catch (Exception e) {
      return "";
    }
  }

  private static final Pattern BACKEND_SAMPLE = Pattern.compile(
      "^plonk_gateway_backend_requests_total\\{(.*)} (\\S+)$", Pattern.MULTILINE);

  /** {@code plonk_gateway_backend_requests_total} of namespace {@code n}, keyed "backend code". */
  static Map<String, Double> backendRequests(String gateway, String n) {
    String text;
    try {
      text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Map<String, Double> samples = new java.util.TreeMap<>();
    Matcher m = BACKEND_SAMPLE.matcher(text);
    while (m.find()) {
      Map<String, String> labels = labels(m.group(1));
      if (n.equals(labels.get("namespace"))) {
        samples.merge(labels.get("backend") + " " + labels.get("code"), Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    return samples;
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new java.util.HashMap<>();
    Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(text);
    while (m.find()) {
      labels.put(m.group(1), m.group(2));
    }
    return labels;
  }
}
