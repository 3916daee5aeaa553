package dev.plonk.controller.load;

import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.controller.analysis.DecisionEvent;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * The controller's load generators, one per Rollout under analysis. The reconciler calls {@link #reconcile} after every
 * decision: it starts the generator when an analysis that asks for load begins, renews it while it runs, restarts it
 * when {@code spec.analysis.load} changes, and stops it the moment the analysis ends (promotion, rollback, pause);
 * {@link #stop} covers suspend and deletion. It runs only on the leader, the one replica that reconciles.
 */
public final class LoadGenerators implements AutoCloseable {
  private static final Duration MIN_LEASE = Duration.ofSeconds(30);
  private final LoadSettings settings;
  private final LoadMetrics metrics;
  private final LongSupplier nanos;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "plonk-load"));
  private final ExecutorService senders = Executors.newFixedThreadPool(2, r -> daemon(r, "plonk-load-http"));
  private final HttpClient http;
  private final Map<String, LoadGenerator> generators = new ConcurrentHashMap<>();
  private final java.util.Set<String> warned = ConcurrentHashMap.newKeySet();

  public LoadGenerators(LoadSettings settings, LoadMetrics metrics) {
    this(settings, metrics, System::nanoTime);
  }

  LoadGenerators(LoadSettings settings, LoadMetrics metrics, LongSupplier nanos) {
    this.settings = settings;
    this.metrics = metrics;
    this.nanos = nanos;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
        .executor(senders).build();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Makes the Rollout's generator match its next status; returns the Events to record (LoadStarted, LoadStopped...). */
  public List<DecisionEvent> reconcile(String namespace, String name, RolloutSpec spec, RolloutStatus next) {
    String key = namespace + "/" + name;
    if (!LoadPlan.wanted(spec, next)) {
      return stop(namespace, name, spec.pausedOrFalse() && spec.analysis.load != null ? "the rollout is paused"
          : "the analysis ended (phase " + next.phase + ")");
    }
    if (!settings.configured()) {
      return warned.add(key) ? List.of(DecisionEvent.warning("LoadUnavailable",
          "spec.analysis.load asks for generated load but " + settings.unavailableReason())) : List.of();
    }
    LoadPlan plan = LoadPlan.of(namespace, name, spec, settings.gatewayUrl());
    Duration lease = lease(spec);
    LoadGenerator current = generators.get(key);
    if (current != null && current.plan().equals(plan)) {
      if (current.running()) {
        current.renew(lease);
        return List.of();
      }
      if (current.stopReason() != null && current.stopReason().contains("--load-max-duration")) {
        return List.of();   // bounded in time: never restarted within the same plan
      }
    }
    List<DecisionEvent> events = new java.util.ArrayList<>();
    if (current != null) {
      events.add(stopped(current, current.running() ? "spec.analysis.load changed" : current.stopReason()));
    }
    LoadGenerator started;
    try {
      started = new LoadGenerator(plan, settings.authorization(), http, metrics, settings.maxDuration(), nanos);
    } catch (IllegalArgumentException e) {
      generators.remove(key);
      events.add(DecisionEvent.warning("LoadUnavailable", "spec.analysis.load cannot be sent: " + e.getMessage()));
      return events;
    }
    generators.put(key, started.start(scheduler, lease));
    events.add(DecisionEvent.normal("LoadStarted", "generating load on the canary through the gateway: "
        + plan.describe()));
    return events;
  }

  /** Stops the Rollout's generator, if any; returns the LoadStopped Event. */
  public List<DecisionEvent> stop(String namespace, String name, String reason) {
    String key = namespace + "/" + name;
    warned.remove(key);
    LoadGenerator g = generators.remove(key);
    return g == null ? List.of() : List.of(stopped(g, reason));
  }

  /** True while the Rollout's generator is sending. */
  public boolean running(String namespace, String name) {
    LoadGenerator g = generators.get(namespace + "/" + name);
    return g != null && g.running();
  }

  private static DecisionEvent stopped(LoadGenerator g, String reason) {
    String why = g.running() ? reason : g.stopReason() == null ? reason : g.stopReason();
    return DecisionEvent.normal("LoadStopped", "generated load stopped: " + why + "; " + g.stop(why).describe());
  }

  /** Renewed at every reconcile of the analysis (at least once per interval): three missed intervals end it. */
  static Duration lease(RolloutSpec spec) {
    Duration three = spec.analysis.intervalDuration().multipliedBy(3);
    return three.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : three;
  }

  @Override
  public void close() {
    generators.values().forEach(g -> g.stop("the controller stopped"));
    generators.clear();
    scheduler.shutdownNow();
    senders.shutdownNow();
  }
}
