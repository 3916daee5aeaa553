package dev.plonk.controller;

import dev.plonk.api.v1alpha1.MetricCheck;
import dev.plonk.api.v1alpha1.MetricsObserverKind;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.controller.analysis.AnalysisWindow;
import dev.plonk.controller.analysis.CheckOutcome;
import dev.plonk.mesh.metrics.MetricQueryException;
import dev.plonk.mesh.metrics.MetricTarget;
import dev.plonk.mesh.metrics.MetricsObserver;
import dev.plonk.mesh.metrics.MetricsObservers;
import dev.plonk.mesh.metrics.MetricsProvider;
import dev.plonk.mesh.metrics.PrometheusProvider;
import dev.plonk.mesh.metrics.QueryTemplate;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs a Rollout's metric checks against its Prometheus and turns every answer, or its absence, into a {@link CheckOutcome}. */
public final class MetricCheckRunner {
  private final ControllerSettings settings;
  private final MetricsObservers observers = new MetricsObservers();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, MetricsProvider> providers = new ConcurrentHashMap<>();
  private final MetricTemplates templates;

  public MetricCheckRunner(ControllerSettings settings, io.fabric8.kubernetes.client.KubernetesClient client) {
    this.settings = settings;
    this.templates = new MetricTemplates(client, http, settings.queryTimeout());
  }

  public List<CheckOutcome> run(String namespace, RolloutSpec spec, RolloutStatus status, Instant now) {
    Duration interval = spec.analysis.intervalDuration();
    MetricTarget target = new MetricTarget(namespace, spec.apexName(), spec.targetRef.name);
    MetricsObserverKind kind = spec.analysis.metricsObserver == null ? settings.defaultObserver()
        : spec.analysis.metricsObserver;
    MetricsObserver observer = observers.forKind(kind);
    String server = spec.analysis.metricsServer == null ? settings.defaultMetricsServer() : spec.analysis.metricsServer;
    MetricsProvider provider = providers.computeIfAbsent(server,
        url -> new PrometheusProvider(url, http, settings.queryTimeout()));
    List<CheckOutcome> out = new ArrayList<>();
    ComparisonCheck comparisons = new ComparisonCheck(observer, provider);
    for (MetricCheck check : spec.analysis.metrics) {
      Duration window = check.windowOr(interval);
      if (check.comparesWithPrimary()) {
        out.add(comparisons.run(check, target, AnalysisWindow.since(status, now, window)));
        continue;
      }
      if (check.templateRef != null) {
        out.add(templated(namespace, check, target, window, server));
        continue;
      }
      String promql = query(check, observer, target, window);
      try {
        out.add(CheckOutcome.measured(check.name, provider.query(promql), check.thresholdRange));
      } catch (MetricQueryException e) {
        out.add(CheckOutcome.failed(check.name, check.thresholdRange, e.getMessage()));
      }
    }
    return out;
  }

  /** A check whose query and Prometheus come from a MetricTemplate; a template that cannot be used fails the check. */
  private CheckOutcome templated(String namespace, MetricCheck check, MetricTarget target, Duration window,
      String server) {
    try {
      MetricTemplates.Resolved resolved = templates.resolve(namespace, check, target, window, server);
      return CheckOutcome.measured(check.name, resolved.provider().query(resolved.promql()), check.thresholdRange);
    } catch (MetricTemplates.TemplateException | MetricQueryException e) {
      return CheckOutcome.failed(check.name, check.thresholdRange, e.getMessage());
    }
  }

  static String query(MetricCheck check, MetricsObserver observer, MetricTarget target, Duration window) {
    if (check.query != null) {
      return QueryTemplate.render(check.query, target, window);
    }
    return switch (check.name) {
      case MetricCheck.SUCCESS_RATE -> observer.successRate(target, window);
      case MetricCheck.DURATION -> observer.requestDurationP99(target, window);
      default -> throw new IllegalArgumentException("metric " + check.name + " has no query and is not built in");
    };
  }
}
