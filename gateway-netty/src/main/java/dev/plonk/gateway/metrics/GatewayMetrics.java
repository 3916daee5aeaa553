package dev.plonk.gateway.metrics;

import dev.plonk.mesh.BackendNames;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's metrics, in its own registry (several gateways may share a JVM in tests). OpenFaaS names with
 * {@code function_name="name.namespace"}, plus the per-backend series the controller's {@code gateway} observer reads.
 */
public final class GatewayMetrics {
  /** The label of the per-backend series that tells user traffic from the controller's generated load. */
  public static final String SOURCE_LABEL = "source";

  /** Who sent a call: a user through {@code /function/}, or the controller's load generator through the canary path. */
  public enum Source {
    USER("user"), LOAD("loadgen");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** Seconds; the buckets the controller's latency queries rely on. */
  public static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  // no exemplars: no trace ids to attach, and sampling them cost 1% of the gateway's CPU per call (bench/README.md)
  private final Counter invocations = Counter.builder().name("gateway_function_invocation_total")
      .help("Function invocations by function_name (name.namespace) and HTTP status code")
      .labelNames("function_name", "code").withoutExemplars().register(registry);
  private final Histogram seconds = Histogram.builder().name("gateway_functions_seconds")
      .help("Function call duration in seconds, by function_name and code")
      .labelNames("function_name", "code").classicUpperBounds(BUCKETS).classicOnly()
      .withoutExemplars().register(registry);
  /** A gauge that only grows: OpenFaaS exposes this name without the counter suffix. */
  private final Gauge started = Gauge.builder().name("gateway_function_invocation_started")
      .help("Function invocations started, by function_name").labelNames("function_name").withoutExemplars()
      .register(registry);
  private final Gauge serviceCount = Gauge.builder().name("gateway_service_count")
      .help("Ready endpoints (replicas) of a function, by function_name").labelNames("function_name")
      .withoutExemplars().register(registry);
  private final Counter backendRequests = Counter.builder().name("plonk_gateway_backend_requests_total")
      .help("Requests the gateway sent to one backend Service of a function, by response code")
      .labelNames("namespace", "function", BackendNames.METRIC_LABEL, "code", SOURCE_LABEL).withoutExemplars()
      .register(registry);
  private final Histogram backendSeconds = Histogram.builder().name("plonk_gateway_backend_request_duration_seconds")
      .help("Duration of requests to one backend Service of a function, in seconds")
      .labelNames("namespace", "function", BackendNames.METRIC_LABEL, SOURCE_LABEL).classicUpperBounds(BUCKETS)
      .classicOnly().withoutExemplars().register(registry);
  private final Counter asyncCalls = Counter.builder().name("plonk_gateway_async_calls_total")
      .help("Calls queued through /async-function, by function_name and outcome (queued, duplicate, failed)")
      .labelNames("function_name", "outcome").withoutExemplars().register(registry);

  /** The data points of one function, backend, code and source: looked up once, not on every call. */
  private record CallKey(String namespace, String function, String backend, int code, Source source) {}

  private record CallSeries(CounterDataPoint invocations, DistributionDataPoint seconds,
      CounterDataPoint backendRequests, DistributionDataPoint backendSeconds) {}

  private final Map<CallKey, CallSeries> calls = new ConcurrentHashMap<>();
  private final Map<String, GaugeDataPoint> startedByFunction = new ConcurrentHashMap<>();
  private final Map<String, GaugeDataPoint> serviceCountByFunction = new ConcurrentHashMap<>();

  public void started(String functionName) {
    startedByFunction.computeIfAbsent(functionName, started::labelValues).inc();
  }

  public void serviceCount(String functionName, int readyEndpoints) {
    serviceCountByFunction.computeIfAbsent(functionName, serviceCount::labelValues).set(readyEndpoints);
  }

  /** One finished user call; {@code backend} is null when no backend was chosen (404, 503). */
  public void finished(String namespace, String function, String backend, int code, double durationSeconds) {
    finished(namespace, function, backend, code, durationSeconds, Source.USER);
  }

  /**
   * One finished sync call. Generated load ({@link Source#LOAD}) is counted in the per-backend series only (labelled
   * {@code source="loadgen"}), never in the OpenFaaS series: it must not look like users to invocation counts or
   * autoscaling.
   */
  public void finished(String namespace, String function, String backend, int code, double durationSeconds,
      Source source) {
    CallSeries series = calls.computeIfAbsent(new CallKey(namespace, function, backend, code, source), this::series);
    if (series.invocations != null) {
      series.invocations.inc();
      series.seconds.observe(durationSeconds);
    }
    if (series.backendRequests != null) {
      series.backendRequests.inc();
      series.backendSeconds.observe(durationSeconds);
    }
  }

  private CallSeries series(CallKey key) {
    String status = Integer.toString(key.code);
    String functionName = key.function + "." + key.namespace;
    boolean user = key.source == Source.USER;
    boolean backend = key.backend != null;
    return new CallSeries(user ? invocations.labelValues(functionName, status) : null,
        user ? seconds.labelValues(functionName, status) : null,
        backend ? backendRequests.labelValues(key.namespace, key.function, key.backend, status, key.source.label())
            : null,
        backend ? backendSeconds.labelValues(key.namespace, key.function, key.backend, key.source.label()) : null);
  }

  public void asyncCall(String functionName, String outcome) {
    asyncCalls.labelValues(functionName, outcome).inc();
  }

  /** Sum of {@code gateway_function_invocation_total} over codes, for FunctionStatus.invocationCount. */
  public long invocationCount(String functionName) {
    double sum = 0;
    for (CounterSnapshot.CounterDataPointSnapshot point : invocations.collect().getDataPoints()) {
      if (functionName.equals(point.getLabels().get("function_name"))) {
        sum += point.getValue();
      }
    }
    return (long) sum;
  }

  /** The Prometheus text format (0.0.4). */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}
