package dev.plonk.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One real Kubernetes node on this machine, built from source: containerd + runc + CNI, the kubelet, kube-proxy and
 * CoreDNS inside the node's own network namespace, and kube-controller-manager + kube-scheduler beside the apiserver.
 * {@link #stop()} (or the janitor, if the JVM dies) leaves no process, mount, cgroup or network namespace behind.
 */
public final class Node {
  private final Path dir;
  private final NodeNetwork network;
  private final NodeBinaries binaries;
  private Containerd containerd;
  private Kubelet kubelet;
  private KubeControllers controllers;
  private KubeProxy kubeProxy;
  private CoreDns coreDns;
  private CompletableFuture<Void> imports = CompletableFuture.completedFuture(null);

  /** Checks the host (see {@link NodePreflight}), builds missing binaries and claims the node's network. */
  public static Node prepare(Path dir) {
    NodePreflight.check();
    NodeBinaries binaries = NodeBinaries.ensure();
    return new Node(dir, NodeNetwork.create(Kubernetes.mkdirs(dir)), binaries);
  }

  private Node(Path dir, NodeNetwork network, NodeBinaries binaries) {
    this.dir = dir;
    this.network = network;
    this.binaries = binaries;
  }

  /** The addresses the apiserver of this node must listen on (see {@link Kubernetes#Kubernetes(Path, NodeAddresses)}). */
  public NodeAddresses addresses() {
    return network.addresses();
  }

  /** Starts containerd, which needs no apiserver: images can load while the control plane starts. */
  public synchronized Node startRuntime() {
    if (containerd == null) {
      containerd = new Containerd(dir.resolve("containerd"), binaries, network).start();
    }
    return this;
  }

  /** Starts loading image tarballs, all at once, in the background; {@link #awaitImages()} waits for them. */
  public Node importInBackground(List<Path> tars) {
    startRuntime();
    long started = System.nanoTime();
    Executor threadPerImage = task -> {
      Thread thread = new Thread(task, "image-import");
      thread.setDaemon(true);
      thread.start();
    };
    imports = CompletableFuture.allOf(tars.stream().map(tar -> CompletableFuture.runAsync(() -> importImage(tar),
        threadPerImage)).toArray(CompletableFuture[]::new)).thenRun(() -> System.err.println("[devstack] "
            + tars.size() + " images loaded in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms"));
    return this;
  }

  /** Waits for the images of {@link #importInBackground(List)}; fails with the first import's error. */
  public void awaitImages() {
    try {
      imports.join();
    } catch (CompletionException e) {
      throw new DevStackException("an image import failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Starts every node component against {@code kubernetes} and waits for the Node to be Ready. */
  public Node start(Kubernetes kubernetes) {
    long started = System.nanoTime();
    controllers = new KubeControllers(dir.resolve("controllers"), binaries, kubernetes).start();
    startRuntime();
    // the kubelet first: kube-proxy looks its Node up to learn the node's IPs
    kubelet = new Kubelet(dir.resolve("kubelet"), binaries, network, kubernetes, name()).start(containerd.socket());
    kubeProxy = new KubeProxy(dir.resolve("kube-proxy"), binaries, network, kubernetes).start(name());
    coreDns = new CoreDns(dir.resolve("coredns"), binaries, network, kubernetes).start();
    kubelet.awaitReady(kubernetes.adminClient(), Duration.ofSeconds(120));
    System.err.println("[devstack] node " + name() + " Ready at " + nodeIp() + " in "
        + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms (pods " + addresses().podSubnet()
        + ", network namespace " + addresses().netns() + ", state " + dir + ")");
    return this;
  }

  /** The Node object's name. */
  public String name() {
    return "plonk-node-" + addresses().index();
  }

  /** The node's IP: NodePorts answer here, and the host routes the pod subnet through it. */
  public String nodeIp() {
    return addresses().nodeIp();
  }

  /** The network namespace holding containerd, the kubelet, kube-proxy, CoreDNS and the pods' bridge. */
  public String netns() {
    return addresses().netns();
  }

  /** The containerd socket ({@code crictl --runtime-endpoint unix://...}, {@code ctr --address ...}). */
  public Path containerdSocket() {
    return containerd.socket();
  }

  /** Loads an image tarball ({@code docker save} format, or OCI) so pods can use it with {@code imagePullPolicy: Never}. */
  public void importImage(Path tar) {
    containerd.importImage(tar);
  }

  /** Runs {@code crictl} against this node's containerd; returns its output without crictl's log lines. */
  public String crictl(String... args) {
    List<String> command = new ArrayList<>(crictlCommand());
    command.addAll(List.of(args));
    return Commands.run(60, command).lines().filter(l -> !l.startsWith("time=\""))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  /** The crictl command line for this node, without arguments. */
  public List<String> crictlCommand() {
    return List.of(binaries.crictl().toString(), "--config", containerd.crictlConfig().toString());
  }

  /** The ctr command line for this node's containerd and its {@code k8s.io} namespace, without arguments. */
  public List<String> ctrCommand() {
    return containerd.ctr();
  }

  /** Runs {@code ctr} in containerd's {@code k8s.io} namespace; returns its output, fails if it fails. */
  public String ctr(String... args) {
    return Commands.run(120, containerd.ctr(args));
  }

  /** Runs a command inside the node's network namespace (e.g. {@code curl} to a ClusterIP). */
  public String inNetwork(String... command) {
    return network.inside(command);
  }

  /**
   * Waits until kube-proxy sends the Service's cluster IP to its endpoints. Until then a pod's connection to it fails
   * with "network is unreachable" (the node has no default route), so a test that creates a Service and calls it at
   * once waits here first, as a client in a real cluster would retry.
   */
  public void awaitRouted(String clusterIp, Duration timeout) {
    Net.await("kube-proxy rules for cluster IP " + clusterIp, timeout, () -> inNetwork("iptables", "-w", "-t", "nat",
        "-S", "KUBE-SERVICES").lines().anyMatch(rule -> rule.contains("-d " + clusterIp + "/32")
            && rule.contains("-j KUBE-SVC-")), kubeProxy.process());
  }

  /** Mount points still under the node's folder; empty after {@link #stop()}. */
  public List<String> mountsLeft() {
    return network.mountsLeft();
  }

  public List<ManagedProcess> processes() {
    List<ManagedProcess> all = new ArrayList<>();
    if (controllers != null) {
      all.addAll(controllers.processes());
    }
    if (containerd != null) {
      all.add(containerd.process());
    }
    if (kubeProxy != null) {
      all.add(kubeProxy.process());
    }
    if (coreDns != null) {
      all.add(coreDns.process());
    }
    if (kubelet != null) {
      all.add(kubelet.process());
    }
    return all;
  }

  /** Stops the node's components, then kills and removes whatever they left (pods, shims, mounts, namespace). */
  public void stop() {
    if (kubelet != null) {
      kubelet.stop();
    }
    if (kubeProxy != null) {
      kubeProxy.stop();
    }
    if (coreDns != null) {
      coreDns.stop();
    }
    if (containerd != null) {
      containerd.stop();
    }
    if (controllers != null) {
      controllers.stop();
    }
    network.close();
  }
}
