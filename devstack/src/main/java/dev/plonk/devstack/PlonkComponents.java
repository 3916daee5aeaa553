package dev.plonk.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plonk's own components as separate processes against a running devstack, as they run in production: the gateway
 * (direct mode, so it applies the traffic weights itself), the rollout-controller and the queue-worker. Each is
 * scraped by the devstack's Prometheus and stopped with {@link #close()} (or by its watchdog with the JVM).
 */
public final class PlonkComponents implements AutoCloseable {
  /** How a component is launched: from the shaded jars of {@code ./mvnw package}, or from this JVM's class path (tests). */
  public enum Launch { JARS, CLASS_PATH }

  private record Component(String name, String jar, String mainClass, List<String> jvm) {}

  /**
   * The memory settings measured in bench/peers and bench/README.md (RSS budget 128 MiB): the serial collector and a
   * heap that grows from 8 MiB only as needed and gives memory back; deploy/ sets the same through JAVA_TOOL_OPTIONS.
   */
  public static final List<String> SMALL_HEAP = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx256m",
      "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-Xss256k", "-XX:ReservedCodeCacheSize=32m");
  /**
   * The gateway keeps C2 (C1 alone cost it 1.8x the CPU per call) and adds what bench/gateway/jvm.sh measured to bring
   * it under the 128 MiB budget with the same throughput (bench/README.md): a 4 MiB young generation, glibc's heap
   * trimmed every second (C2's compiler arenas), metaspace committed in small granules, and Netty's pooled allocator
   * with two direct arenas (one per event loop on 2 cores) of 512 KiB chunks instead of the adaptive allocator.
   */
  public static final List<String> GATEWAY_JVM = concat(SMALL_HEAP, List.of("-Xmn4m",
      "-XX:TrimNativeHeapInterval=1000", "-XX:MetaspaceReclaimPolicy=aggressive", "-Dio.netty.allocator.type=pooled",
      "-Dio.netty.allocator.numDirectArenas=2", "-Dio.netty.allocator.numHeapArenas=0",
      "-Dio.netty.allocator.maxOrder=6"));
  private static final Component GATEWAY = new Component("gateway", "gateway-netty/target/plonk-gateway.jar",
      "dev.plonk.gateway.GatewayMain", GATEWAY_JVM);
  /**
   * The controller is I/O bound: C1 only (one compiler thread, a small code cache) saves the C2 compiler's arenas and
   * code, about 25 MiB of RSS. The gateway's young generation, heap trimming and metaspace granules, and reflection
   * that never generates accessor classes (Jackson's ~500 of them, each in its own class loader), took one rollout
   * from 133-135 to 125 MiB (bench/README.md, 2026-11-25).
   */
  public static final List<String> CONTROLLER_JVM = concat(SMALL_HEAP,
      List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=16m", "-Xmn4m",
          "-XX:TrimNativeHeapInterval=1000", "-XX:MetaspaceReclaimPolicy=aggressive",
          "-Dsun.reflect.inflationThreshold=2147483647"));
  /**
   * The queue-worker, C1 only as well: in bench/queue it drained with less CPU per call (98-102 against 134-156 µs) in
   * 93 MiB of RSS instead of 130-133 (bench/README.md). The gateway keeps C2: C1 cost it 1.8x the CPU per call.
   */
  public static final List<String> WORKER_JVM = concat(SMALL_HEAP, List.of("-XX:TieredStopAtLevel=1",
      "-XX:CICompilerCount=1"));
  /** Two glibc malloc arenas instead of 8 per core: about 5 MiB less RSS with no measured cost. */
  public static final Map<String, String> SMALL_HEAP_ENV = Map.of("MALLOC_ARENA_MAX", "2");
  private static final Component CONTROLLER = new Component("rollout-controller",
      "rollout-controller/target/plonk-rollout-controller.jar", "dev.plonk.controller.RolloutControllerMain",
      CONTROLLER_JVM);
  private static final Component WORKER = new Component("queue-worker",
      "queue-worker/target/plonk-queue-worker.jar", "dev.plonk.queue.QueueWorkerMain", WORKER_JVM);

  private static List<String> concat(List<String> list, List<String> more) {
    List<String> all = new ArrayList<>(list);
    all.addAll(more);
    return List.copyOf(all);
  }

  private final DevStack stack;
  private final Launch launch;
  private final List<ManagedProcess> processes = new ArrayList<>();
  private final List<Prometheus.ScrapeTarget> targets = new ArrayList<>();
  private final Map<String, String> urls = new LinkedHashMap<>();

  public PlonkComponents(DevStack stack, Launch launch) {
    this.stack = stack;
    this.launch = launch;
  }

  /** All three, for {@code ./plonk up}. */
  public PlonkComponents startAll(String functionNamespace) {
    queueWorker(gateway(functionNamespace));
    controller();
    return this;
  }

  /**
   * The gateway in direct mode serving {@code functionNamespace}, with basic auth on /system (credentials from
   * {@link #gatewaySecretDir()}); returns its base URL once healthy.
   */
  public String gateway(String functionNamespace) {
    int port = Net.freePort();
    return start(GATEWAY, port, List.of("--port", Integer.toString(port), "--routing", "direct",
        "--endpoint-host", "127.0.0.1", "--function-namespace", functionNamespace,
        "--kubeconfig", stack.kubernetes().kubeconfig().toString(), "--nats-url", stack.nats().url(),
        "--secret-dir", gatewaySecretDir().toString()));
  }

  /**
   * The gateway's credentials as OpenFaaS keeps them ({@code basic-auth-user}: admin, {@code basic-auth-password}: a
   * random one), generated once in the devstack's folder, readable by this user only.
   */
  public Path gatewaySecretDir() {
    Path dir = stack.dir().resolve("gateway-auth");
    try {
      if (!Files.isRegularFile(dir.resolve("basic-auth-password"))) {
        Files.createDirectories(dir);
        byte[] random = new byte[18];
        new java.security.SecureRandom().nextBytes(random);
        Path password = dir.resolve("basic-auth-password");
        Files.writeString(dir.resolve("basic-auth-user"), "admin");
        Files.writeString(password, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        password.toFile().setReadable(false, false);
        password.toFile().setReadable(true, true);
      }
    } catch (java.io.IOException e) {
      throw new DevStackException("cannot write the gateway's credentials in " + dir + ": " + e.getMessage());
    }
    return dir;
  }

  /**
   * The rollout-controller (SMI and the gateway observer by default), querying the devstack's Prometheus; when the
   * gateway was started first, it generates {@code spec.analysis.load} through it (with the gateway's credentials).
   */
  public String controller() {
    int port = Net.freePort();
    List<String> args = new ArrayList<>(List.of("--kubeconfig", stack.kubernetes().kubeconfig().toString(),
        "--metrics-server", stack.prometheus().baseUrl(), "--port", Integer.toString(port),
        "--default-provider", "smi", "--default-metrics-observer", "gateway", "--no-leader-election"));
    if (urls.containsKey(GATEWAY.name())) {
      args.addAll(List.of("--gateway-url", urls.get(GATEWAY.name()), "--gateway-secret-dir",
          gatewaySecretDir().toString()));
    }
    return start(CONTROLLER, port, args);
  }

  /** The queue-worker, calling functions through the gateway at {@code gatewayUrl}. */
  public String queueWorker(String gatewayUrl) {
    return queueWorker(gatewayUrl, List.of());
  }

  /**
   * A queue-worker that runs only the calls of {@code functionNamespace}, as a durable consumer of its own: a test's
   * worker then never inherits the calls other tests queued on the same NATS (a new consumer starts at the stream's
   * first message).
   */
  public String queueWorker(String gatewayUrl, String functionNamespace) {
    return queueWorker(gatewayUrl, List.of("--consumer", "plonk-queue-worker-" + functionNamespace,
        "--subject-filter", "plonk.calls." + functionNamespace + ".>"));
  }

  private String queueWorker(String gatewayUrl, List<String> more) {
    int port = Net.freePort();
    List<String> args = new ArrayList<>(List.of("--nats-url", stack.nats().url(), "--gateway-url", gatewayUrl,
        "--gateway-secret-dir", gatewaySecretDir().toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port)));
    args.addAll(more);
    return start(WORKER, port, args);
  }

  private String start(Component component, int port, List<String> args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(component.jvm());
    if (launch == Launch.JARS) {
      Path jar = ProjectLayout.root().resolve(component.jar());
      if (!Files.isRegularFile(jar)) {
        throw new DevStackException(jar + " is missing: build the jars first (./mvnw -B package -DskipTests)");
      }
      command.addAll(List.of("-jar", jar.toString()));
    } else {
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), component.mainClass()));
    }
    command.addAll(args);
    ManagedProcess process = new ManagedProcess(component.name(), command,
        stack.dir().resolve(component.name() + "-" + processes.size() + ".log"), SMALL_HEAP_ENV).start();
    processes.add(process);
    String url = "http://127.0.0.1:" + port;
    Net.await(component.name() + " " + url + "/healthz", Duration.ofSeconds(90), () -> Net.isOk(url + "/healthz"), process);
    targets.add(stack.prometheus().addTarget("plonk-" + component.name(), "127.0.0.1:" + port));
    urls.put(component.name(), url);
    return url;
  }

  /** Base URLs by component name: gateway, rollout-controller, queue-worker. */
  public Map<String, String> urls() {
    return urls;
  }

  public List<ManagedProcess> processes() {
    return processes;
  }

  /** Stops the components, last started first, and removes their scrape targets. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).stop(Duration.ofSeconds(30));
    }
    targets.forEach(Prometheus.ScrapeTarget::close);
  }
}
