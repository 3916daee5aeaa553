package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which routing object carries the weights. */
public enum Provider {
  /** SMI {@code split.smi-spec.io/v1alpha2 TrafficSplit} (linkerd-smi). */
  @JsonProperty("smi")
  SMI,
  /** Gateway API {@code gateway.networking.k8s.io/v1 HTTPRoute} with the apex Service as parent (GAMMA). */
  @JsonProperty("gatewayapi")
  GATEWAY_API
}
