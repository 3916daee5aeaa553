package dev.plonk.controller.analysis;

/**
 * Whether a Deployment is ready, and if not, which check failed (in words, for the status and the Events).
 *
 * @param reason empty when ready; otherwise e.g. "1 old replicas pending termination"
 */
public record Readiness(boolean ready, String reason) {
  public static final Readiness READY = new Readiness(true, "");

  public static Readiness waiting(String reason) {
    return new Readiness(false, reason);
  }
}
