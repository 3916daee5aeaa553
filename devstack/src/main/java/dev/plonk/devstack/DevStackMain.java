package dev.plonk.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the devstack in the foreground for {@code ./plonk up}: starts Kubernetes, Prometheus and NATS, writes
 * {@code devstack.env} (KUBECONFIG, PROMETHEUS_URL, NATS_URL, …) into {@code --dir}, and stops everything on SIGTERM.
 */
@Command(name = "devstack", mixinStandardHelpOptions = true,
    description = "Runs the Plonk devstack (kube-apiserver + etcd, optionally a real node, Prometheus, nats-server) "
        + "until stopped.")
public final class DevStackMain implements Callable<Integer> {
  @Option(names = "--dir", description = "state folder, wiped at start (env PLONK_RUN_DIR; default ${DEFAULT-VALUE})",
      defaultValue = "${env:PLONK_RUN_DIR:-${sys:user.home}/.cache/plonk/run}")
  Path dir;

  @Option(names = "--no-kubernetes", description = "skip etcd + kube-apiserver (and Plonk's components)")
  boolean noKubernetes;

  @Option(names = "--node", description = "run a real node (kubelet, containerd, controller-manager, scheduler, "
      + "kube-proxy, CoreDNS; needs root) instead of the process runtime")
  boolean node;

  @Option(names = "--images", description = "with --node: a file listing image tarballs (one path a line) the node "
      + "loads while the control plane starts")
  Path images;

  @Option(names = "--with-plonk", description = "also run Plonk's jars: gateway (direct mode), rollout-controller, "
      + "queue-worker (build them first: ./mvnw package -DskipTests)")
  boolean withPlonk;

  @Option(names = "--function-namespace", defaultValue = "${env:PLONK_FUNCTION_NAMESPACE:-openfaas-fn}",
      description = "namespace the gateway serves functions from (default ${DEFAULT-VALUE}); created if missing")
  String functionNamespace;

  private PlonkComponents components;

  @Override
  public Integer call() throws IOException, InterruptedException {
    wipe(dir);
    DevStack stack = DevStack.in(dir);
    StringBuilder env = new StringBuilder();
    if (!noKubernetes) {
      if (node) {
        if (images != null) {
          stack.preloadImages(Files.readAllLines(images).stream().filter(line -> !line.isBlank()).map(Path::of).toList());
        }
        Node started = stack.node();
        env.append("NODE_NAME=").append(started.name()).append('\n')
            .append("NODE_IP=").append(started.nodeIp()).append('\n')
            .append("NODE_NETNS=").append(started.netns()).append('\n')
            .append("NODE_POD_SUBNET=").append(started.addresses().podSubnet()).append('\n')
            .append("CRICTL=").append(started.crictlCommand().get(0)).append('\n')
            .append("CRI_CONFIG_FILE=").append(started.crictlCommand().get(2)).append('\n')
            .append("CTR=").append(started.ctrCommand().get(0)).append('\n')
            .append("CONTAINERD_ADDRESS=").append(started.containerdSocket()).append('\n')
            .append("CONTAINERD_NAMESPACE=k8s.io\n");
      }
      Kubernetes kubernetes = stack.kubernetes();
      env.append("KUBECONFIG=").append(kubernetes.kubeconfig()).append('\n')
          .append("KUBE_APISERVER=").append(kubernetes.url()).append('\n')
          .append("KUBECTL=").append(kubernetes.kubectl()).append('\n');
      if (!node) {
        stack.processRuntime();
      }
      if (withPlonk && node) {
        throw new DevStackException("--with-plonk runs Plonk's jars against the process runtime; on a real node Plonk "
            + "is installed from deploy/ instead");
      }
      if (withPlonk) {
        stack.installUpstreamCrds(); // rollouts need TrafficSplit and HTTPRoute; a missing source says how to get it
        stack.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
            .withName(functionNamespace).endMetadata().build()).serverSideApply();
        components = new PlonkComponents(stack, PlonkComponents.Launch.JARS).startAll(functionNamespace);
        components.urls().forEach((name, url) ->
            env.append(name.toUpperCase().replace('-', '_')).append("_URL=").append(url).append('\n'));
        env.append("FUNCTION_NAMESPACE=").append(functionNamespace).append('\n')
            .append("GATEWAY_SECRET_DIR=").append(components.gatewaySecretDir()).append('\n');
      }
    }
    env.append("PROMETHEUS_URL=").append(stack.prometheus().baseUrl()).append('\n')
        .append("PROMETHEUS_TARGETS=").append(dir.resolve("prometheus/targets")).append('\n')
        .append("NATS_URL=").append(stack.nats().url()).append('\n')
        .append("NATS_MONITOR_URL=").append(stack.nats().monitorUrl()).append('\n');
    List<ManagedProcess> all = new ArrayList<>(stack.processes());
    if (components != null) {
      all.addAll(components.processes());
    }
    for (ManagedProcess process : all) {
      env.append("PID_").append(process.name().toUpperCase().replace('-', '_')).append('=').append(process.pid()).append('\n');
    }
    Path envFile = dir.resolve("devstack.env");
    Files.writeString(envFile, env.toString());
    System.err.println("[devstack] up; environment in " + envFile);
    CountDownLatch stopped = new CountDownLatch(1);
    PlonkComponents started = components;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (started != null) {
        started.close();
      }
      stack.stop();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }

  private static void wipe(Path dir) throws IOException {
    DevStack.deleteRecursively(dir);
    Files.createDirectories(dir);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DevStackMain()).execute(args));
  }
}
