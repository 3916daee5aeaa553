package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.AnalysisSpec;
import dev.plonk.api.v1alpha1.MetricCheck;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.ServiceSpec;
import dev.plonk.api.v1alpha1.TargetRef;
import dev.plonk.api.v1alpha1.ThresholdRange;
import dev.plonk.controller.analysis.Statuses;
import dev.plonk.devstack.DevStack;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.mesh.router.RouteTarget;
import dev.plonk.mesh.router.TrafficRouter;
import dev.plonk.mesh.router.TrafficRouterFactory;
import dev.plonk.mesh.router.Weights;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One rollout scenario on the devstack: a target Deployment {@code echo} whose pods are the sample echo function run
 * by the devstack's process runtime (real processes, real readiness probes, status written from them), a fake gateway
 * metrics endpoint scraped by the real Prometheus, and the operator running in-process against the admin client.
 */
final class Scenario implements AutoCloseable {
  static final String TARGET = "echo";
  final KubernetesClient client;
  final Kubernetes kubernetes;
  final Prometheus prometheus;
  final String ns;
  final Provider provider;
  final FakeGatewayMetrics gateway;
  /** The target's pods: the echo function, with a readiness switch per Deployment and version. */
  final EchoTarget echo;
  PrometheusRegistry registry = new PrometheusRegistry();
  private final Prometheus.ScrapeTarget scrape;
  private final TrafficRouter router;
  private RolloutOperator operator;

  Scenario(KubernetesClient client, Kubernetes kubernetes, Prometheus prometheus, String ns, Provider provider)
      throws Exception {
    this.client = client;
    this.kubernetes = kubernetes;
    this.prometheus = prometheus;
    this.ns = ns;
    this.provider = provider;
    DevStack.shared().processRuntime(); // plays the kubelet; every IT class also says processRuntime = true
    this.gateway = new FakeGatewayMetrics();
    this.echo = new EchoTarget(ns);
    this.router = new TrafficRouterFactory(client, "plonk-test").forProvider(provider);
    scrape = prometheus.addTarget("fake-gateway-" + ns, gateway.hostPort(), "/metrics", Map.of());
  }

  /** The canary answers {@code okPerSecond} 200s and {@code errorsPerSecond} 500s in 20 ms; waits until Prometheus has it. */
  void canaryServes(double okPerSecond, double errorsPerSecond) {
    gateway.set(ns, TARGET, TARGET + "-canary", okPerSecond, errorsPerSecond, 0.02);
    String probe = "plonk_gateway_backend_requests_total{namespace=\"" + ns + "\",backend=\"echo-canary\",code=\"200\"}";
    await("Prometheus to scrape the fake gateway", Duration.ofSeconds(30),
        () -> prometheus.queryValue(probe).isPresent());
  }

  void startOperator() {
    registry = new PrometheusRegistry();
    operator = new RolloutOperator(client, ControllerSettings.defaults(prometheus.baseUrl()).withDefaultProvider(provider),
        registry, Set.of(ns), null).start();
  }

  void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  void createTarget(String version) {
    client.resource(echo.deployment(version)).serverSideApply();
  }

  /** A new revision: the user changes the target's pod template. */
  void setVersion(String version) {
    client.resource(echo.deployment(version)).fieldManager("kubectl").forceConflicts().serverSideApply();
  }

  static RolloutSpec spec() {
    RolloutSpec spec = new RolloutSpec();
    spec.targetRef = new TargetRef("Deployment", TARGET);
    spec.service = new ServiceSpec(8080);
    spec.analysis = new AnalysisSpec();
    spec.analysis.interval = "1s";
    spec.analysis.threshold = 3;
    spec.analysis.stepWeight = 10;
    spec.analysis.maxWeight = 50;
    MetricCheck success = new MetricCheck(MetricCheck.SUCCESS_RATE, new ThresholdRange(99.0, null));
    success.interval = "3s";
    MetricCheck latency = new MetricCheck(MetricCheck.DURATION, new ThresholdRange(null, 500.0));
    latency.interval = "3s";
    spec.analysis.metrics.add(success);
    spec.analysis.metrics.add(latency);
    return spec;
  }

  Rollout createRollout(Consumer<RolloutSpec> customize) {
    Rollout r = new Rollout();
    r.getMetadata().setName(TARGET);
    r.getMetadata().setNamespace(ns);
    RolloutSpec spec = spec();
    spec.provider = provider;
    customize.accept(spec);
    r.setSpec(spec);
    return client.resource(r).create();
  }

  Rollout rollout() {
    return client.resources(Rollout.class).inNamespace(ns).withName(TARGET).get();
  }

  /**
   * Waits for the phase; for Initialized, Succeeded and Failed also for the Event that announced it. The controller
   * commits the status first and acts (route, scale, Events) after, so a test that saw the phase waits for the acts.
   */
  Rollout awaitPhase(Phase phase, Duration timeout) {
    await("phase " + phase, timeout, () -> {
      Rollout r = rollout();
      return r != null && r.getStatus() != null && r.getStatus().phase == phase;
    });
    if (phase == Phase.Initialized || phase == Phase.Succeeded || phase == Phase.Failed) {
      String message = rollout().getStatus().message;
      await("the Event of phase " + phase + ": " + message, Duration.ofSeconds(30),
          () -> events().stream().anyMatch(e -> e.getMessage().equals(message)));
    }
    return rollout();
  }

  /** Waits for the rollout to fail on its progress deadline; returns the Ready condition's message, which says why. */
  String awaitDeadlineRollback(Duration timeout) {
    Rollout failed = awaitPhase(Phase.Failed, timeout);
    var ready = Statuses.find(failed.getStatus(), RolloutStatus.READY);
    assertThat(ready.getReason()).isEqualTo("ProgressDeadlineExceeded");
    return ready.getMessage();
  }

  /** The canary serves errors, so checks fail and the weight holds; with a high threshold it holds indefinitely. */
  void canaryFails() {
    gateway.set(ns, TARGET, TARGET + "-canary", 5, 15, 0.02);
  }

  /**
   * Waits until the rollout holds at {@code weight} with at least one failed check. Used with {@link #canaryFails()}
   * and a threshold the test never reaches: the first step (0 -> first weight) needs no check, every later one does,
   * so the rollout cannot pass the first weight; the test acts on a rollout that stands still, not on a moment.
   */
  Rollout awaitHeldAt(int weight, Duration timeout) {
    await("the rollout held at canary weight " + weight + " by a failed check", timeout, () -> {
      Rollout r = rollout();
      return r != null && r.getStatus() != null && r.getStatus().phase == Phase.Progressing
          && Integer.valueOf(weight).equals(r.getStatus().canaryWeight) && r.getStatus().failedChecks != null
          && r.getStatus().failedChecks >= 1;
    });
    return rollout();
  }

  void patchSpec(String json) throws Exception {
    kubectl("patch", "rollout", TARGET, "--type=merge", "-p", "{\"spec\":" + json + "}");
  }

  /** Every "canary weight A -> B" the controller recorded as a WeightChanged Event, as "A->B", in no particular order. */
  List<String> weightChanges() {
    return events().stream().filter(e -> "WeightChanged".equals(e.getReason()))
        .map(e -> e.getMessage().replaceFirst("(?s)^canary weight (\\d+) -> (\\d+):.*$", "$1->$2")).sorted().toList();
  }

  Optional<Weights> weights() {
    return router.getWeights(new RouteTarget(ns, TARGET, 8080, null));
  }

  Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  /** The name of the config the primary's first container takes its environment from (envFrom[0]). */
  String primaryEnvFrom() {
    var from = deployment(TARGET + "-primary").getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom()
        .get(0);
    return from.getConfigMapRef() != null ? from.getConfigMapRef().getName() : from.getSecretRef().getName();
  }

  String primaryVersion() {
    return deployment(TARGET + "-primary").getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  int targetReplicas() {
    Integer r = deployment(TARGET).getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  List<String> eventReasons() {
    return events().stream().map(Event::getReason).toList();
  }

  List<Event> events() {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Rollout".equals(e.getInvolvedObject().getKind())).toList();
  }

  /** Bootstraps: target v1, the Rollout, and waits for Initialized with the target scaled to 0. */
  void bootstrap(Consumer<RolloutSpec> customize) {
    createTarget("v1");
    startOperator();
    createRollout(customize);
    awaitPhase(Phase.Initialized, Duration.ofSeconds(30));
    await("the target scaled to 0", Duration.ofSeconds(10), () -> targetReplicas() == 0);
    // and its pod gone: a new revision then starts from no old pod, whatever the machine's pace
    await("the target's pods stopped", Duration.ofSeconds(30), () -> {
      Deployment target = deployment(TARGET);
      return target.getStatus() != null && target.getStatus().getReplicas() == null
          && target.getMetadata().getGeneration().equals(target.getStatus().getObservedGeneration());
    });
    awaitWeights(Weights.PRIMARY_ONLY);
  }

  /** The route follows the status (committed first, acted on after): a test that saw a phase waits for its weights. */
  void awaitWeights(Weights expected) {
    await("the route at " + expected, Duration.ofSeconds(30), () -> weights().equals(Optional.of(expected)));
  }

  String kubectl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(kubernetes.kubectl().toString(), "--kubeconfig",
        kubernetes.kubeconfig().toString(), "-n", ns));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  static void await(String what, Duration timeout, Supplier<Boolean> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Boolean.TRUE.equals(done.get())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      sleep(100);
    }
  }

  /** Polls {@code value} until {@code done}, bounded, returning every distinct consecutive value seen. */
  static <T> List<T> record(Supplier<T> value, Predicate<T> done, Duration timeout) {
    List<T> seen = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T v = value.get();
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(v)) {
        seen.add(v);
      }
      if (done.test(v)) {
        return seen;
      }
      sleep(100);
    }
    throw new AssertionError("timed out after " + timeout.toSeconds() + " s; saw " + seen);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() throws IOException {
    stopOperator();
    scrape.close();
    gateway.close();
    echo.close();
  }
}
