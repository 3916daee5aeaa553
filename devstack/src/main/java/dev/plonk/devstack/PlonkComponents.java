package dev.plonk.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts Plonk's own runnable jars against a running devstack, for {@code ./plonk up}: the gateway (direct mode, so
 * it applies the traffic weights itself), the rollout-controller and the queue-worker, each scraped by Prometheus.
 */
final class PlonkComponents {
  private final DevStack stack;
  private final List<ManagedProcess> processes = new ArrayList<>();
  private final Map<String, String> urls = new LinkedHashMap<>();

  PlonkComponents(DevStack stack) {
    this.stack = stack;
  }

  PlonkComponents start(String functionNamespace) {
    String kubeconfig = stack.kubernetes().kubeconfig().toString();
    int gatewayPort = Net.freePort();
    start("gateway", "gateway-netty/target/plonk-gateway.jar", gatewayPort, "/healthz", List.of(
        "--port", Integer.toString(gatewayPort), "--routing", "direct", "--endpoint-host", "127.0.0.1",
        "--function-namespace", functionNamespace, "--kubeconfig", kubeconfig, "--nats-url", stack.nats().url()));
    int controllerPort = Net.freePort();
    start("rollout-controller", "rollout-controller/target/plonk-rollout-controller.jar", controllerPort, "/healthz",
        List.of("--kubeconfig", kubeconfig, "--metrics-server", stack.prometheus().baseUrl(),
            "--http-port", Integer.toString(controllerPort), "--default-provider", "smi",
            "--default-metrics-observer", "gateway"));
    int workerPort = Net.freePort();
    start("queue-worker", "queue-worker/target/plonk-queue-worker.jar", workerPort, "/healthz", List.of(
        "--nats-url", stack.nats().url(), "--gateway-url", urls.get("gateway"),
        "--metrics-host", "127.0.0.1", "--metrics-port", Integer.toString(workerPort)));
    return this;
  }

  private void start(String name, String jar, int port, String health, List<String> args) {
    Path jarPath = ProjectLayout.root().resolve(jar);
    if (!Files.isRegularFile(jarPath)) {
      throw new DevStackException(jarPath + " is missing: build the jars first (./mvnw -B package -DskipTests)");
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", jarPath.toString()));
    command.addAll(args);
    ManagedProcess process = new ManagedProcess(name, command, stack.dir().resolve(name + ".log")).start();
    processes.add(process);
    String url = "http://127.0.0.1:" + port;
    Net.await(name + " " + url + health, Duration.ofSeconds(90), () -> Net.isOk(url + health), process);
    stack.prometheus().addTarget(name, "127.0.0.1:" + port);
    urls.put(name, url);
  }

  /** Base URLs by component name: gateway, rollout-controller, queue-worker. */
  Map<String, String> urls() {
    return urls;
  }

  List<ManagedProcess> processes() {
    return processes;
  }

  void stop() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).stop(Duration.ofSeconds(30));
    }
  }
}
