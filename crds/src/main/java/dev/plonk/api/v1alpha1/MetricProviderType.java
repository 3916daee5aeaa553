package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The metrics backends a MetricTemplate can query. */
public enum MetricProviderType {
  /** The Prometheus HTTP API ({@code GET /api/v1/query}). */
  @JsonProperty("prometheus")
  PROMETHEUS
}
