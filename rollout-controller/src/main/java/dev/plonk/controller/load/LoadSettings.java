package dev.plonk.controller.load;

import java.time.Duration;

/**
 * Where generated load goes and how long it may last.
 *
 * @param gatewayUrl    the gateway's base URL (e.g. {@code http://gateway.plonk-system:8080}); null: no load generation
 * @param authorization the {@code Authorization} header for the gateway's canary path (its basic auth)
 * @param maxDuration   the longest one analysis may be loaded, whatever else happens
 */
public record LoadSettings(String gatewayUrl, String authorization, Duration maxDuration) {
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(1);

  public static LoadSettings none() {
    return new LoadSettings(null, null, DEFAULT_MAX_DURATION);
  }

  public boolean configured() {
    return gatewayUrl != null;
  }

  /** Why a Rollout that asks for load gets none; null when configured. */
  public String unavailableReason() {
    return configured() ? null : "the controller has no --gateway-url (PLONK_CONTROLLER_GATEWAY_URL) and "
        + "--gateway-secret-dir: start it with the gateway's address and basic-auth folder to generate load";
  }
}
