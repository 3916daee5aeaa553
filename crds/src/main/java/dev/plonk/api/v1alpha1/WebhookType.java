package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** When a webhook is called and what its answer means; the names and semantics are Flagger's. */
public enum WebhookType {
  /** Before the canary is scaled up; the rollout waits (phase Waiting) until it answers 2xx. */
  @JsonProperty("confirm-rollout")
  CONFIRM_ROLLOUT("confirm-rollout"),
  /** Before the canary gets traffic (weight 0, first iteration); a failure counts as a failed check. */
  @JsonProperty("pre-rollout")
  PRE_ROLLOUT("pre-rollout"),
  /** At every analysis tick, before the metric checks; a failure counts as a failed check. */
  @JsonProperty("rollout")
  ROLLOUT("rollout"),
  /** Before each weight increase (canary strategy); the weight holds until it answers 2xx. */
  @JsonProperty("confirm-traffic-increase")
  CONFIRM_TRAFFIC_INCREASE("confirm-traffic-increase"),
  /** Before the promotion; the rollout waits (phase WaitingPromotion, checks still run) until it answers 2xx. */
  @JsonProperty("confirm-promotion")
  CONFIRM_PROMOTION("confirm-promotion"),
  /** After the rollout succeeded or failed; a failure is logged and recorded, nothing else. */
  @JsonProperty("post-rollout")
  POST_ROLLOUT("post-rollout"),
  /** Polled while the rollout waits or progresses: a 2xx answer rolls the canary back. */
  @JsonProperty("rollback")
  ROLLBACK("rollback"),
  /** Receives every Event the controller records about the Rollout. */
  @JsonProperty("event")
  EVENT("event");

  private final String wire;

  WebhookType(String wire) {
    this.wire = wire;
  }

  /** The name as written in the spec, e.g. {@code confirm-rollout}. */
  public String wire() {
    return wire;
  }

  /** A gate: the rollout waits until it answers 2xx. */
  public boolean confirms() {
    return this == CONFIRM_ROLLOUT || this == CONFIRM_TRAFFIC_INCREASE || this == CONFIRM_PROMOTION;
  }
}
