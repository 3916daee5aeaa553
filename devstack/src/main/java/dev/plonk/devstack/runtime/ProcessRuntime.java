package dev.plonk.devstack.runtime;

import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.ManagedProcess;
import dev.plonk.devstack.Net;
import dev.plonk.devstack.ProjectLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the kubelet (and the Deployment controller) for the devstack: every Deployment's first container runs as local
 * processes — its {@code command} + {@code args} and its {@code env} (literal values and downward-API fields, see
 * {@link PodEnvironment}), plus {@code PORT} (a free loopback port per replica) and {@code PLONK_HOME} (the checkout),
 * with {@code $(VAR)} expanded as Kubernetes does. Replicas follow
 * {@code spec.replicas}; a new pod template replaces them all; a crashed one is restarted. The runtime writes the
 * Deployment status and one EndpointSlice per Service and replica (see {@link EndpointSlices}).
 */
public final class ProcessRuntime implements AutoCloseable {
  private static final java.time.Duration TERMINATION_GRACE = java.time.Duration.ofSeconds(3);

  private final KubernetesClient client;
  private final Path logs;
  private final EndpointSlices slices;
  private final AtomicInteger podIps = new AtomicInteger();
  private final Map<String, List<Replica>> replicas = new HashMap<>();
  private final Map<String, DeploymentStatus> written = new HashMap<>();
  /** Replicas on their way out, by the time they are stopped: no longer in any EndpointSlice, still serving. */
  private final Map<Replica, Long> terminating = new HashMap<>();
  private final Availability availability = new Availability();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "process-runtime");
    t.setDaemon(true);
    return t;
  });
  private SharedIndexInformer<Deployment> deployments;
  private SharedIndexInformer<Service> services;

  public ProcessRuntime(KubernetesClient client, Path dir) {
    this.client = client;
    this.logs = Kubernetes.mkdirs(dir);
    this.slices = new EndpointSlices(client);
  }

  public ProcessRuntime start() {
    deployments = client.apps().deployments().inAnyNamespace().inform();
    services = client.services().inAnyNamespace().inform();
    slices.deleteStale();
    loop.scheduleWithFixedDelay(this::reconcileSafely, 0, 300, TimeUnit.MILLISECONDS);
    return this;
  }

  private void reconcileSafely() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      System.err.println("[process-runtime] " + e);
    }
  }

  synchronized void reconcile() {
    Map<String, Deployment> current = new HashMap<>();
    for (Deployment deployment : deployments.getStore().list()) {
      current.put(key(deployment), deployment);
    }
    for (String gone : new ArrayList<>(replicas.keySet())) {
      if (!current.containsKey(gone)) {
        replicas.remove(gone).forEach(this::terminate);
        written.remove(gone);
      }
    }
    Map<String, List<Replica>> ready = new HashMap<>();
    Map<Deployment, Runnable> statusUpdates = new HashMap<>();
    for (Deployment deployment : current.values()) {
      ready.put(key(deployment), reconcileOrReport(deployment, statusUpdates));
    }
    // endpoints first, then status: whoever waits for a ready Deployment finds its endpoints published
    slices.reconcile(services.getStore().list(), current.values(), ready);
    statusUpdates.values().forEach(Runnable::run);
    long now = System.nanoTime();
    terminating.entrySet().removeIf(e -> {
      if (now - e.getValue() >= 0) {
        e.getKey().stop();
        return true;
      }
      return false;
    });
  }

  /**
   * Like a kubelet with a preStop delay: the replica leaves the EndpointSlices now and is stopped after the grace
   * period, so clients that still route to it (informer lag) are served rather than refused.
   */
  private void terminate(Replica replica) {
    availability.forget(replica);
    terminating.putIfAbsent(replica, System.nanoTime() + TERMINATION_GRACE.toNanos());
  }

  /** One Deployment that cannot run gets a CannotRun status; it never stops the pass for the others. */
  private List<Replica> reconcileOrReport(Deployment deployment, Map<Deployment, Runnable> statusUpdates) {
    try {
      return reconcile(deployment, statusUpdates);
    } catch (RuntimeException e) {
      String problem = "cannot run: " + e.getMessage();
      statusUpdates.put(deployment, () -> writeStatus(deployment, new Counts(0, 0, 0, 0), problem));
      return List.of();
    }
  }

  /**
   * Converges one Deployment's processes and status, rolling like a Deployment with maxUnavailable 0: replicas of a
   * new template start first, and the old ones stop only once as many new ones are available (ready for
   * {@code minReadySeconds}). Returns the ready replicas.
   */
  private List<Replica> reconcile(Deployment deployment, Map<Deployment, Runnable> statusUpdates) {
    String key = key(deployment);
    String hash = templateHash(deployment);
    int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    List<Replica> running = replicas.computeIfAbsent(key, k -> new ArrayList<>());
    running.removeIf(r -> {
      if (!r.alive()) {
        r.stop();
        availability.forget(r);
        return true;
      }
      return false;
    });
    List<Replica> current = new ArrayList<>(running.stream().filter(r -> r.templateHash().equals(hash)).toList());
    List<Replica> old = new ArrayList<>(running.stream().filter(r -> !r.templateHash().equals(hash)).toList());
    while (current.size() > desired) {
      Replica extra = current.remove(current.size() - 1);
      terminate(extra);
      running.remove(extra);
    }
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    String problem = containers.isEmpty() ? "the pod template has no container" : null;
    while (problem == null && current.size() < desired) {
      Container container = containers.get(0);
      if (container.getCommand().isEmpty() && container.getArgs().isEmpty()) {
        problem = "container " + container.getName() + " has no command or args for the process runtime to run";
      } else if (container.getCommand().isEmpty()) {
        problem = "container " + container.getName() + " has args but no command: the process runtime runs command + "
            + "args and cannot know the image's entrypoint";
      } else {
        Replica replica = startReplica(deployment, container, hash);
        current.add(replica);
        running.add(replica);
      }
    }
    long now = System.nanoTime();
    int minReadySeconds = Objects.requireNonNullElse(deployment.getSpec().getMinReadySeconds(), 0);
    List<Replica> ready = availability.probe(current, now);
    if (availability.available(ready, minReadySeconds, now) >= desired || problem != null) {
      old.forEach(this::terminate);
      running.removeAll(old);
      old.clear();
    }
    ready.addAll(availability.probe(old, now));
    Counts counts = new Counts(current.size() + old.size(), current.size(), ready.size(),
        availability.available(ready, minReadySeconds, now));
    String reason = problem;
    statusUpdates.put(deployment, () -> writeStatus(deployment, counts, reason));
    return ready;
  }

  /** A Deployment's replica counts: running, of the current template, passing their probe, ready long enough. */
  private record Counts(int replicas, int updated, int ready, int available) {}

  private Replica startReplica(Deployment deployment, Container container, String hash) {
    int port = Net.freePort();
    int n = podIps.incrementAndGet();
    String podIp = "10.244." + (n / 250) + "." + (n % 250 + 1);
    String podName = deployment.getMetadata().getName() + "-" + hash + "-" + Integer.toString(n, 36);
    Map<String, String> env = new PodEnvironment(podName, deployment.getMetadata().getNamespace(),
        deployment.getSpec().getTemplate().getMetadata(), podIp,
        Map.of("PORT", Integer.toString(port), "PLONK_HOME", ProjectLayout.root().toString())).of(container);
    List<String> command = new ArrayList<>();
    container.getCommand().forEach(c -> command.add(PodEnvironment.expand(c, env)));
    container.getArgs().forEach(a -> command.add(PodEnvironment.expand(a, env)));
    String name = deployment.getMetadata().getNamespace() + "_" + deployment.getMetadata().getName() + "_" + podIp;
    ManagedProcess process = new ManagedProcess(name, command, logs.resolve(name + ".log"), env).start();
    String path = container.getReadinessProbe() != null && container.getReadinessProbe().getHttpGet() != null
        ? container.getReadinessProbe().getHttpGet().getPath() : null;
    return new Replica(hash, port, podIp, path, process);
  }

  private void writeStatus(Deployment deployment, Counts n, String problem) {
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(deployment.getMetadata().getGeneration())
        .withReplicas(n.replicas()).withUpdatedReplicas(n.updated()).withReadyReplicas(n.ready())
        .withAvailableReplicas(n.available()).withUnavailableReplicas(n.replicas() - n.available())
        .addNewCondition().withType("Available").withStatus(problem == null && n.available() > 0 ? "True" : "False")
        .withReason(problem != null ? "CannotRun" : n.available() > 0 ? "MinimumReplicasAvailable"
            : "MinimumReplicasUnavailable")
        .withMessage(problem != null ? problem : n.ready() + " of " + n.replicas() + " replicas ready, "
            + n.available() + " available (local processes)")
        .endCondition()
        .build();
    String key = key(deployment);
    DeploymentStatus live = deployment.getStatus();
    // the apiserver drops zero counts, so compare with null read as 0
    if (status.equals(written.get(key)) && live != null
        && Objects.requireNonNullElse(live.getReadyReplicas(), 0).equals(status.getReadyReplicas())
        && Objects.equals(live.getObservedGeneration(), status.getObservedGeneration())) {
      return;
    }
    Deployment copy = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(deployment).withStatus(status).build();
    copy.getMetadata().setResourceVersion(null);
    client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace()).resource(copy).updateStatus();
    written.put(key, status);
  }

  static String templateHash(Deployment deployment) {
    try {
      byte[] json = Serialization.asJson(deployment.getSpec().getTemplate()).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String key(Deployment deployment) {
    return deployment.getMetadata().getNamespace() + "/" + deployment.getMetadata().getName();
  }

  @Override
  public synchronized void close() {
    loop.shutdownNow();
    replicas.values().forEach(list -> list.forEach(Replica::stop));
    replicas.clear();
    terminating.keySet().forEach(Replica::stop);
    terminating.clear();
    if (deployments != null) {
      deployments.close();
      services.close();
    }
  }
}
