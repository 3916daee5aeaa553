package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.controller.load.LoadGenerators;
import dev.plonk.controller.load.LoadMetrics;
import dev.plonk.controller.load.LoadSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.Set;

/** A JOSDK operator running the {@link RolloutReconciler}; the main and the tests start it the same way. */
public final class RolloutOperator implements AutoCloseable {
  private final Operator operator;
  private final LoadGenerators load;

  /**
   * @param namespaces the namespaces to watch; empty means all
   * @param leaderElection null for none, else the Lease to hold (only the holder reconciles)
   */
  public RolloutOperator(KubernetesClient client, ControllerSettings settings, PrometheusRegistry registry,
      Set<String> namespaces, LeaderElectionConfiguration leaderElection) {
    this(client, settings, registry, namespaces, leaderElection, 16);
  }

  /** @param reconcileThreads how many Rollouts reconcile at once (the work is mostly waiting on the apiserver and Prometheus) */
  public RolloutOperator(KubernetesClient client, ControllerSettings settings, PrometheusRegistry registry,
      Set<String> namespaces, LeaderElectionConfiguration leaderElection, int reconcileThreads) {
    this(client, settings, registry, namespaces, leaderElection, reconcileThreads, LoadSettings.none());
  }

  /** @param loadSettings where generated load goes ({@code spec.analysis.load}); {@link LoadSettings#none()}: nowhere */
  public RolloutOperator(KubernetesClient client, ControllerSettings settings, PrometheusRegistry registry,
      Set<String> namespaces, LeaderElectionConfiguration leaderElection, int reconcileThreads,
      LoadSettings loadSettings) {
    load = new LoadGenerators(loadSettings, new LoadMetrics(registry));
    operator = new Operator(o -> {
      o.withKubernetesClient(client).withCloseClientOnStop(false).withConcurrentReconciliationThreads(reconcileThreads);
      if (leaderElection != null) {
        o.withLeaderElectionConfiguration(leaderElection);
      }
    });
    RolloutReconciler reconciler = new RolloutReconciler(client, settings, new RolloutMetrics(registry), Clock.systemUTC(),
        load);
    operator.register(reconciler, c -> {
      c.withGenerationAware(false).withName("rollouts").withFieldManager(settings.fieldManager())
          .withItemStore(CachePruning.withoutManagedFields());
      if (namespaces.isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(namespaces);
      }
    });
  }

  public RolloutOperator start() {
    operator.start();
    return this;
  }

  public boolean isStarted() {
    return operator.getRuntimeInfo().isStarted();
  }

  public boolean isHealthy() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** The CRD name this operator reconciles, for messages. */
  public static String crdName() {
    return "rollouts." + Rollout.GROUP;
  }

  @Override
  public void close() {
    operator.stop();
    load.close();
  }
}
