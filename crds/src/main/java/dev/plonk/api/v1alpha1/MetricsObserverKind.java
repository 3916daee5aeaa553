package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whose metrics the built-in checks read. */
public enum MetricsObserverKind {
  /** The Plonk gateway's per-backend metrics ({@code plonk_gateway_backend_*}). */
  @JsonProperty("gateway")
  GATEWAY,
  /** Linkerd proxy metrics ({@code response_total}, {@code response_latency_ms_bucket}). */
  @JsonProperty("linkerd")
  LINKERD
}
