package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.devstack.DevStack;
import dev.plonk.devstack.PlonkComponents;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.ProjectLayout;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Benchmark (not a test): N Rollouts on one controller process against the devstack. Measures the controller's heap
 * after GC, the latency from a due analysis tick to the weight written, and apiserver requests per analysis step.
 */
@Command(name = "controller-bench", mixinStandardHelpOptions = true,
    description = "Runs N Rollouts on one rollout-controller process against the devstack and prints a table.")
public final class ControllerBench implements Callable<Integer> {
  @Option(names = "--rollouts", defaultValue = "${env:BENCH_ROLLOUTS:-1000}", description = "number of Rollouts (default ${DEFAULT-VALUE})")
  int rollouts;

  @Option(names = "--interval", defaultValue = "${env:BENCH_INTERVAL:-20s}", description = "analysis interval (default ${DEFAULT-VALUE})")
  String interval;

  @Option(names = "--measure-seconds", defaultValue = "${env:BENCH_MEASURE_SECONDS:-60}",
      description = "how long to measure progressing rollouts (default ${DEFAULT-VALUE})")
  int measureSeconds;

  @Option(names = "--reconcile-threads", defaultValue = "${env:BENCH_RECONCILE_THREADS:-32}",
      description = "the controller's --reconcile-threads (default ${DEFAULT-VALUE})")
  int reconcileThreads;

  @Option(names = "--controller-heap", defaultValue = "${env:BENCH_CONTROLLER_HEAP:-1g}",
      description = "the controller's -Xmx, on top of the devstack's JVM settings (default ${DEFAULT-VALUE})")
  String controllerHeap;

  @Option(names = "--controller-jvm", split = " ", description = "more JVM flags for the controller, after the "
      + "devstack's (one argument, space-separated)")
  List<String> controllerJvm = List.of();

  @Option(names = "--flagger", description = "run this Flagger binary in place of Plonk's controller, with a Canary "
      + "in place of each Rollout (bench/peers at scale)")
  Path flagger;

  @Option(names = "--flagger-crds", description = "Flagger's CRDs (artifacts/flagger/crd.yaml of its Go module)")
  Path flaggerCrds;

  @Option(names = "--out", defaultValue = "target/bench/controller", description = "results folder (default ${DEFAULT-VALUE})")
  Path out;

  static final String NS = "bench";

  public static void main(String[] args) {
    int code = new CommandLine(new ControllerBench()).execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    Path jar = ProjectLayout.root().resolve("rollout-controller/target/plonk-rollout-controller.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run ./mvnw -pl rollout-controller package -DskipTests first");
    }
    Files.createDirectories(out);
    DevStack stack = DevStack.shared();
    KubernetesClient client = stack.client();
    Prometheus prometheus = stack.prometheus();
    stack.installUpstreamCrds();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = out.resolve("controller.log");
    FlaggerPeer peer = flagger == null ? null : new FlaggerPeer(client, NS);
    List<String> command = new java.util.ArrayList<>(List.of("java"));
    String settings;
    if (peer != null) {
      peer.install(flaggerCrds, prometheus.baseUrl());
      command = FlaggerPeer.command(flagger, stack.kubernetes().kubeconfig(), prometheus.baseUrl(), NS, port);
      settings = "Flagger " + flagger.getFileName() + " " + String.join(" ", command.subList(1, command.size()));
    } else {
      command.addAll(PlonkComponents.CONTROLLER_JVM);
      command.add("-Xmx" + controllerHeap);
      command.addAll(controllerJvm);
      command.addAll(List.of("-jar", jar.toString(),
          "--kubeconfig", stack.kubernetes().kubeconfig().toString(), "--namespaces", NS, "--no-leader-election",
          "--default-provider", "smi", "--metrics-server", prometheus.baseUrl(), "--port", Integer.toString(port),
          "--reconcile-threads", Integer.toString(reconcileThreads)));
      settings = reconcileThreads + " reconcile threads, JVM " + String.join(" ", command.subList(1, command.indexOf("-jar")));
    }
    log("controller: " + settings);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(PlonkComponents.SMALL_HEAP_ENV);
    Process controller = builder.start();
    BenchReport report = new BenchReport(port, controller.pid(), peer == null);
    report.awaitUp(Duration.ofSeconds(60));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (FakeGatewayMetrics gateway = new FakeGatewayMetrics(); BenchKubelet kubelet = new BenchKubelet(client, NS);
        var target = prometheus.addTarget("bench-gateway", gateway.hostPort(), "/metrics", Map.of())) {
      for (int i = 0; i < rollouts; i++) {
        gateway.set(NS, name(i), name(i) + "-canary", 5, 0, 0.02);
      }
      long t0 = System.nanoTime();
      forAll(pool, i -> client.resource(deployment(i, "v1")).serverSideApply());
      double deploymentsSeconds = (System.nanoTime() - t0) / 1e9;
      log("the " + rollouts + " target Deployments applied in " + Math.round(deploymentsSeconds) + " s");
      Map<String, Long> labelled = Map.of("controller", controller.pid(), "benchmark (clients, kubelet stand-in)",
          ProcessHandle.current().pid());
      BenchReport.Sample bootFrom = report.sample();
      ApiserverLoad.Sample apiserverBootFrom = ApiserverLoad.sample(client);
      MachineCpu.Sample cpuBootFrom = MachineCpu.sample(labelled);
      long tRollouts = System.nanoTime();
      forAll(pool, i -> client.resource(peer == null ? rollout(i) : peer.canary(name(i), interval, 3, 10, 50))
          .serverSideApply());
      int initialized = awaitPhases(client, peer, List.of(Phase.Initialized),
          Duration.ofSeconds(Math.max(300, rollouts * 3L / 10)));
      double bootstrapSeconds = (System.nanoTime() - tRollouts) / 1e9;
      log("bootstrap: " + initialized + "/" + rollouts + " Initialized in " + Math.round(bootstrapSeconds)
          + " s after the first Rollout was applied");
      ApiserverLoad.Sample apiserverBootTo = ApiserverLoad.sample(client);
      String bootstrap = "bootstrap window (" + BenchReport.fmt(bootstrapSeconds) + " s, Rollouts applied with 8 client threads "
          + "included): " + BenchReport.perRollout(bootFrom, report.sample(), rollouts) + "\n- kube-apiserver: "
          + ApiserverLoad.describe(apiserverBootFrom, apiserverBootTo, bootstrapSeconds) + "\n- requests per Rollout "
          + "served by the apiserver, everyone's (the benchmark's and its kubelet stand-in's too), top 12: "
          + ApiserverLoad.topRequests(apiserverBootFrom, apiserverBootTo, 12, rollouts) + "\n- CPU: "
          + MachineCpu.describe(cpuBootFrom, MachineCpu.sample(labelled), bootstrapSeconds);
      log(bootstrap);

      BenchReport.Sample before = report.sample();
      long t1 = System.nanoTime();
      forAll(pool, i -> client.resource(deployment(i, "v2")).fieldManager("bench").forceConflicts().serverSideApply());
      int progressing = awaitPhases(client, peer, List.of(Phase.Progressing),
          Duration.ofSeconds(Math.max(180, rollouts / 10)));
      double burstSeconds = (System.nanoTime() - t1) / 1e9;
      log("revision burst: " + progressing + "/" + rollouts + " Progressing in " + Math.round(burstSeconds) + " s");
      BenchReport.Sample steady = report.sample();
      ApiserverLoad.Sample apiserverBefore = ApiserverLoad.sample(client);
      MachineCpu.Sample cpuBefore = MachineCpu.sample(labelled);
      Thread.sleep(Duration.ofSeconds(measureSeconds).toMillis());
      BenchReport.Sample after = report.sample();
      String apiserver = ApiserverLoad.describe(apiserverBefore, ApiserverLoad.sample(client), measureSeconds);
      MachineCpu.Sample cpuAfter = MachineCpu.sample(labelled);
      String cpu = MachineCpu.describe(cpuBefore, cpuAfter, measureSeconds);
      String table = report.table(rollouts, interval + ", " + settings + "; the " + rollouts
              + " target Deployments applied (8 client threads) in " + BenchReport.fmt(deploymentsSeconds) + " s before",
          bootstrapSeconds,
          List.of(new BenchReport.Window("new revision burst (" + Math.round(burstSeconds) + " s)", before, steady),
              new BenchReport.Window("steady progress (" + measureSeconds + " s)", steady, after)));
      table += "\nkube-apiserver during the steady window (its own /metrics): " + apiserver + "\n\nCPU during the "
          + "steady window: " + cpu + "\n\n" + bootstrap + "\n";
      Files.writeString(out.resolve("results.md"), table);
      // one line of figures for bench/peers' side-by-side table
      BenchReport.Figures p = report.process();
      Files.writeString(out.resolve("summary.txt"), String.format(java.util.Locale.ROOT,
          "%d %.1f %.1f %.1f %.1f %.2f%n", initialized, bootstrapSeconds, burstSeconds, p.rssMiB(), p.peakMiB(),
          MachineCpu.cores(cpuBefore, cpuAfter, "controller", measureSeconds)));
      System.out.println(table);
    } finally {
      pool.shutdownNow();
      controller.destroy();
      if (!controller.waitFor(20, TimeUnit.SECONDS)) {
        controller.destroyForcibly();
      }
    }
    return 0;
  }

  private void forAll(ExecutorService pool, java.util.function.IntConsumer action) throws Exception {
    var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
    for (int i = 0; i < rollouts; i++) {
      int n = i;
      futures.add(pool.submit(() -> action.accept(n)));
    }
    for (var f : futures) {
      f.get(5, TimeUnit.MINUTES);
    }
  }

  /** Waits until every Rollout (or Canary, for Flagger) is in one of the phases; returns how many are. */
  private int awaitPhases(KubernetesClient client, FlaggerPeer peer, List<Phase> phases, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> wanted = phases.stream().map(Phase::name).toList();
    int count = 0;
    while (System.nanoTime() < deadline) {
      List<String> seen = peer != null ? peer.phases() : client.resources(Rollout.class).inNamespace(NS).list()
          .getItems().stream().map(r -> r.getStatus() == null || r.getStatus().phase == null ? null
              : r.getStatus().phase.name()).toList();
      count = (int) seen.stream().filter(wanted::contains).count();
      if (count >= rollouts) {
        return count;
      }
      // a LIST of every Rollout is heavy for the apiserver being measured: every 2 s up to 1,000, 10 s at 5,000
      Thread.sleep(Math.max(2000, rollouts * 2L));
    }
    return count;
  }

  static String name(int i) {
    return "fn-" + i;
  }

  private static Deployment deployment(int i, String version) {
    return new DeploymentBuilder().withNewMetadata().withName(name(i)).withNamespace(NS).addToLabels("faas_function", name(i))
        .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("faas_function", name(i)).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("faas_function", name(i)).endMetadata()
        .withNewSpec().addNewContainer().withName("fn").withImage("plonk/echo:" + version).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  private Rollout rollout(int i) {
    Rollout r = new Rollout();
    r.getMetadata().setName(name(i));
    r.getMetadata().setNamespace(NS);
    RolloutSpec spec = Scenario.spec();
    spec.targetRef.name = name(i);
    spec.provider = Provider.SMI;
    spec.analysis.interval = interval;
    spec.analysis.metrics.forEach(m -> m.interval = "10s");
    r.setSpec(spec);
    return r;
  }

  static void log(String message) {
    System.err.println("[bench] " + message);
  }
}
