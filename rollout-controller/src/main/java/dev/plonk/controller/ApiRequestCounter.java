package dev.plonk.controller;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Counts the controller's requests to the apiserver by HTTP method ({@code plonk_rollout_controller_apiserver_requests_total}). */
public final class ApiRequestCounter implements Interceptor {
  private final Counter requests;

  public ApiRequestCounter(PrometheusRegistry registry) {
    requests = Counter.builder().name("plonk_rollout_controller_apiserver_requests_total")
        .help("Requests this controller sent to the Kubernetes apiserver (watches count once)").labelNames("method")
        .register(registry);
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    requests.labelValues(request.method()).inc();
  }
}
