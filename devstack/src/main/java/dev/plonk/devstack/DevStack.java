package dev.plonk.devstack;

import dev.plonk.devstack.runtime.ProcessRuntime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real components of one machine, started lazily, once per JVM, and stopped when the JVM exits:
 * Kubernetes (etcd + kube-apiserver), optionally a real {@link Node} (kubelet, containerd, controller-manager, scheduler,
 * kube-proxy, CoreDNS) or the light process runtime instead, Prometheus and nats-server. Test code reaches it through
 * {@link DevStackExtension}; {@link DevStackMain} runs it for {@code ./plonk up}.
 */
public final class DevStack {
  /** Prometheus scrape interval for this devstack ({@code PLONK_SCRAPE_INTERVAL_MS}, default 1000). */
  public static final Duration SCRAPE_INTERVAL =
      Duration.ofMillis(Long.parseLong(ControlPlaneBinaries.env("PLONK_SCRAPE_INTERVAL_MS", "1000")));

  private static DevStack shared;

  private final Path dir;
  private Kubernetes kubernetes;
  private Prometheus prometheus;
  private Nats nats;
  private ProcessRuntime processRuntime;
  private Node node;
  private boolean nodeStarted;
  private boolean upstreamCrdsInstalled;
  private List<Path> preload = List.of();

  private DevStack(Path dir) {
    this.dir = dir;
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "devstack-shutdown"));
  }

  /** The one devstack of this JVM, in a temp folder named {@code plonk-devstack-*}, removed on exit. */
  public static synchronized DevStack shared() {
    if (shared == null) {
      try {
        shared = new DevStack(Files.createTempDirectory("plonk-devstack-"));
      } catch (IOException e) {
        throw new DevStackException("cannot create the devstack temp folder: " + e.getMessage(), e);
      }
    }
    return shared;
  }

  /** A devstack rooted in a folder of the caller's choosing, kept on exit (for {@code ./plonk up}). */
  public static DevStack in(Path dir) {
    return new DevStack(Kubernetes.mkdirs(dir));
  }

  public Path dir() {
    return dir;
  }

  /** Started on first use; the project's CRDs ({@code crds/generated}) are applied. */
  public synchronized Kubernetes kubernetes() {
    if (kubernetes == null) {
      long start = System.nanoTime();
      kubernetes = new Kubernetes(Kubernetes.mkdirs(dir.resolve("kubernetes")), node == null ? null : node.addresses())
          .start();
      applyYamlFolder(ProjectLayout.crds());
      log("kubernetes " + ControlPlaneBinaries.K8S_VERSION + " ready at " + kubernetes.url() + " in "
          + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms; kubeconfig " + kubernetes.kubeconfig());
    }
    return kubernetes;
  }

  public KubernetesClient client() {
    return kubernetes().adminClient();
  }

  public synchronized Prometheus prometheus() {
    if (prometheus == null) {
      prometheus = new Prometheus(Kubernetes.mkdirs(dir.resolve("prometheus")), SCRAPE_INTERVAL).start();
      log("prometheus ready at " + prometheus.baseUrl());
    }
    return prometheus;
  }

  public synchronized Nats nats() {
    if (nats == null) {
      nats = new Nats(Kubernetes.mkdirs(dir.resolve("nats"))).start();
      log("nats-server ready at " + nats.url());
    }
    return nats;
  }

  /**
   * The real node: started on first use, before the apiserver, which then listens on the node's veth address.
   * A JVM whose apiserver already runs on loopback (a test class without {@code node = true} came first) cannot
   * get one: run node tests in a JVM of their own (see devstack/README.md).
   */
  public synchronized Node node() {
    if (!nodeStarted) {
      if (processRuntime != null) {
        throw new DevStackException("the process runtime already plays the kubelet in this JVM; a real node cannot "
            + "run beside it (ask for node = true or processRuntime = true, not both)");
      }
      if (kubernetes != null && node == null) {
        throw new DevStackException("this JVM's kube-apiserver already listens on loopback, but a node needs it on "
            + "the node's veth address: run node tests in their own JVM (devstack/README.md, 'Which tests use the node')");
      }
      long start = System.nanoTime();
      node = Node.prepare(Kubernetes.mkdirs(dir.resolve("node")));
      try {
        node.importInBackground(preload).start(kubernetes()).awaitImages();   // images load while the apiserver starts
      } catch (RuntimeException e) {
        node.stop();
        throw e;
      }
      nodeStarted = true;
      log("devstack with a real node up in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
    }
    return node;
  }

  /** Image tarballs the node loads while the control plane starts, before {@link #node()} returns. */
  public synchronized DevStack preloadImages(List<Path> tars) {
    preload = List.copyOf(tars);
    return this;
  }

  /** Whether this devstack runs a real node (pods need their namespace's default ServiceAccount then). */
  public synchronized boolean hasNode() {
    return nodeStarted;
  }

  /** The kubelet stand-in: runs Deployments as local processes and writes their status and EndpointSlices. */
  public synchronized ProcessRuntime processRuntime() {
    if (node != null) {
      throw new DevStackException("a real node runs in this JVM; the process runtime cannot run beside it");
    }
    if (processRuntime == null) {
      processRuntime = new ProcessRuntime(client(), dir.resolve("pods")).start();
      log("process runtime running Deployments as local processes (logs in " + dir.resolve("pods") + ")");
    }
    return processRuntime;
  }

  /**
   * Installs the upstream CRDs (Gateway API, SMI TrafficSplit, Linkerd policy) from {@link UpstreamCrds}; throws a
   * {@link DevStackException} saying what is missing and how to get it.
   */
  public synchronized void installUpstreamCrds() {
    if (!upstreamCrdsInstalled) {
      UpstreamCrds.files().forEach(this::applyYamlFile);
      upstreamCrdsInstalled = true;
    }
  }

  /** Server-side applies every YAML document in a folder and waits for the CRDs among them to be established. */
  public void applyYamlFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> files = Files.list(folder)) {
      files.filter(f -> f.toString().matches(".*\\.ya?ml") && !f.getFileName().toString().startsWith("kustomization"))
          .sorted().forEach(this::applyYamlFile);
    } catch (IOException e) {
      throw new DevStackException("cannot apply " + folder + ": " + e.getMessage(), e);
    }
  }

  /** Server-side applies every YAML document in a file and waits for the CRDs among them to be established. */
  public void applyYamlFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<HasMetadata> applied = new ArrayList<>();
      for (HasMetadata item : client().load(in).items()) {
        applied.add(client().resource(item).forceConflicts().serverSideApply());
      }
      for (HasMetadata item : applied) {
        if ("CustomResourceDefinition".equals(item.getKind())) {
          client().apiextensions().v1().customResourceDefinitions().withName(item.getMetadata().getName())
              .waitUntilCondition(crd -> crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
                  .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                  30, java.util.concurrent.TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      throw new DevStackException("cannot apply " + file + ": " + e.getMessage(), e);
    }
  }

  /** Every process this devstack started (for status and cleanup checks). */
  public synchronized List<ManagedProcess> processes() {
    List<ManagedProcess> all = new ArrayList<>();
    if (kubernetes != null) {
      all.addAll(kubernetes.processes());
    }
    if (node != null) {
      all.addAll(node.processes());
    }
    if (prometheus != null) {
      all.add(prometheus.process());
    }
    if (nats != null) {
      all.add(nats.process());
    }
    return all;
  }

  /** Stops everything; removes the temp folder if it is the shared one. */
  public synchronized void stop() {
    if (processRuntime != null) {
      processRuntime.close();
    }
    if (nats != null) {
      nats.stop();
    }
    if (prometheus != null) {
      prometheus.stop();
    }
    if (node != null) {
      node.stop();
    }
    if (kubernetes != null) {
      kubernetes.stop();
    }
    if (node != null && !node.mountsLeft().isEmpty()) {
      log("not removing " + dir + ": mounts left under it: " + node.mountsLeft());
    } else if (this == shared && !"true".equals(System.getenv("PLONK_KEEP_DEVSTACK"))) {
      deleteRecursively(dir);
    }
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("[devstack] could not remove " + root + ": " + e.getMessage());
    }
  }

  private static void log(String message) {
    System.err.println("[devstack] " + message);
  }
}
