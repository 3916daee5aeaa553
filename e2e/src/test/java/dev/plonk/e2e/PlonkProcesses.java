package dev.plonk.e2e;

import dev.plonk.devstack.DevStack;
import dev.plonk.devstack.ManagedProcess;
import dev.plonk.devstack.Net;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plonk's own components as separate processes (as they run in production), started from this test JVM's classpath
 * with a watchdog each; logs go to the devstack folder.
 */
final class PlonkProcesses implements AutoCloseable {
  private final DevStack stack;
  private final List<ManagedProcess> started = new ArrayList<>();

  PlonkProcesses(DevStack stack) {
    this.stack = stack;
  }

  /** The gateway in direct mode on a free port; returns its base URL once /healthz answers. */
  String gateway(String functionNamespace) {
    int port = Net.freePort();
    start("gateway", List.of("dev.plonk.gateway.GatewayMain", "--port", Integer.toString(port),
        "--routing", "direct", "--endpoint-host", "127.0.0.1", "--function-namespace", functionNamespace,
        "--kubeconfig", stack.kubernetes().kubeconfig().toString(), "--nats-url", stack.nats().url()),
        "http://127.0.0.1:" + port + "/healthz");
    return "http://127.0.0.1:" + port;
  }

  /** The rollout-controller, querying the devstack's Prometheus; returns its health/metrics base URL. */
  String controller() {
    int port = Net.freePort();
    start("rollout-controller", List.of("dev.plonk.controller.RolloutControllerMain",
        "--kubeconfig", stack.kubernetes().kubeconfig().toString(),
        "--metrics-server", stack.prometheus().baseUrl(), "--http-port", Integer.toString(port),
        "--default-provider", "smi", "--no-leader-election"),
        "http://127.0.0.1:" + port + "/healthz");
    return "http://127.0.0.1:" + port;
  }

  private void start(String name, List<String> mainAndArgs, String healthUrl) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path")));
    command.addAll(mainAndArgs);
    ManagedProcess process = new ManagedProcess(name, command, stack.dir().resolve(name + "-" + started.size() + ".log"))
        .start();
    started.add(process);
    Net.await(name + " health at " + healthUrl, Duration.ofSeconds(60), () -> Net.isOk(healthUrl), process);
  }

  @Override
  public void close() {
    started.forEach(p -> p.stop(Duration.ofSeconds(20)));
  }
}
