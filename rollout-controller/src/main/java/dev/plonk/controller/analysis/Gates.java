package dev.plonk.controller.analysis;

import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.WebhookType;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * The confirm-* webhooks as the status records them: condition {@value RolloutStatus#GATE} False with the gate's type
 * as reason while it holds the rollout, True ({@value #CONFIRMED}) once the last gate opened. Pure, no I/O.
 */
public final class Gates {
  public static final String CONFIRM_ROLLOUT = "ConfirmRollout";
  public static final String CONFIRM_TRAFFIC_INCREASE = "ConfirmTrafficIncrease";
  public static final String CONFIRM_PROMOTION = "ConfirmPromotion";
  public static final String CONFIRMED = "Confirmed";

  private Gates() {}

  public static boolean has(RolloutSpec spec, WebhookType type) {
    return spec.analysis.webhooks != null && spec.analysis.webhooks.stream().anyMatch(w -> w.type == type);
  }

  /** "confirm-rollout webhook 'a'" or "confirm-rollout webhooks 'a', 'b'". */
  public static String names(RolloutSpec spec, WebhookType type) {
    var names = spec.analysis.webhooks.stream().filter(w -> w.type == type).map(w -> "'" + w.name + "'").toList();
    return type.wire() + (names.size() == 1 ? " webhook " : " webhooks ") + String.join(", ", names);
  }

  /** The gate that holds the rollout now: its reason, or null when no gate holds it. */
  public static String holding(RolloutStatus status) {
    Condition gate = Statuses.find(status, RolloutStatus.GATE);
    return gate != null && "False".equals(gate.getStatus()) ? gate.getReason() : null;
  }

  public static boolean holds(RolloutStatus status, String reason) {
    return reason.equals(holding(status));
  }

  static String reason(WebhookType type) {
    return switch (type) {
      case CONFIRM_ROLLOUT -> CONFIRM_ROLLOUT;
      case CONFIRM_TRAFFIC_INCREASE -> CONFIRM_TRAFFIC_INCREASE;
      case CONFIRM_PROMOTION -> CONFIRM_PROMOTION;
      default -> throw new IllegalArgumentException(type + " is not a gate");
    };
  }

  /** Closes the gate of {@code type} with what it waits for; the message says which hook holds the rollout. */
  static void close(Step step, WebhookType type, String waitingFor, String what) {
    String message = "waiting for " + (waitingFor == null ? names(step.spec, type) + " to answer 2xx (not called yet)"
        : waitingFor) + ", before " + what;
    step.condition(RolloutStatus.GATE, false, reason(type), message);
    step.status.message = message;
  }

  static void open(Step step, WebhookType type, String what) {
    step.condition(RolloutStatus.GATE, true, CONFIRMED, names(step.spec, type) + " answered 2xx: " + what);
  }

}
