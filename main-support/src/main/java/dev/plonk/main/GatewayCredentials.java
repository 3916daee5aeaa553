package dev.plonk.main;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Basic-auth credentials for the gateway's {@code /system} API (the queue-worker's settings lookups, the
 * rollout-controller's generated load), read like the gateway and OpenFaaS read them: a
 * folder with the files {@code basic-auth-user} and {@code basic-auth-password} (a mounted Kubernetes Secret).
 */
public final class GatewayCredentials {
  private GatewayCredentials() {}

  /** The {@code Authorization} header value, or null when {@code secretDir} is null. */
  public static String authorization(Path secretDir) {
    if (secretDir == null) {
      return null;
    }
    try {
      String user = Files.readString(secretDir.resolve("basic-auth-user"), StandardCharsets.UTF_8).trim();
      String password = Files.readString(secretDir.resolve("basic-auth-password"), StandardCharsets.UTF_8).trim();
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("--gateway-secret-dir " + secretDir + " must hold the files basic-auth-user "
          + "and basic-auth-password (" + e.getMessage() + "); point it at the gateway's basic-auth secret");
    }
  }
}
