package dev.plonk.controller.analysis;

/** A Kubernetes Event to record for a decision: type Normal or Warning, a CamelCase reason and a message with numbers. */
public record DecisionEvent(boolean warning, String reason, String message) {
  public static DecisionEvent normal(String reason, String message) {
    return new DecisionEvent(false, reason, message);
  }

  public static DecisionEvent warning(String reason, String message) {
    return new DecisionEvent(true, reason, message);
  }
}
