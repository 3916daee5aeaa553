package dev.plonk.queue;

import java.net.URI;
import java.time.Duration;

/**
 * Everything the worker is configured with, validated; built by {@link QueueWorkerMain} from its flags.
 *
 * @param perFunctionInflight 0 for no per-function limit
 * @param annotationsTtl      how long a function's retry annotations are cached; zero turns lookups off
 * @param gatewaySecretDir    folder with the gateway's basic-auth-user/-password for /system, or null
 * @param bind                listen address of the admin endpoints
 * @param port                port of /metrics, /healthz and /readyz; 0 turns the server off
 */
public record WorkerSettings(
    URI gatewayUrl,
    String consumer,
    String subjectFilter,
    Duration streamMaxAge,
    int maxInflight,
    int perFunctionInflight,
    Duration ackWait,
    int maxAckPending,
    Duration callTimeout,
    RetryPolicy retry,
    RetryPolicy callbackRetry,
    Duration callbackTimeout,
    Duration annotationsTtl,
    java.nio.file.Path gatewaySecretDir,
    String bind,
    int port,
    Duration shutdownTimeout) {

  public WorkerSettings {
    if (gatewayUrl.getScheme() == null || gatewayUrl.getHost() == null) {
      throw new IllegalArgumentException("--gateway-url must be an absolute http(s) URL such as "
          + "http://127.0.0.1:8080, got '" + gatewayUrl + "'");
    }
    if (!consumer.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("--consumer must be a JetStream durable name (letters, digits, '-', '_'), got '"
          + consumer + "'");
    }
    if (!subjectFilter.startsWith("plonk.calls.")) {
      throw new IllegalArgumentException("--subject-filter must be within plonk.calls.>, got '" + subjectFilter + "'");
    }
    if (ackWait.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--ack-wait must be at least 1s, got " + ackWait);
    }
    if (maxAckPending < maxInflight) {
      throw new IllegalArgumentException("--max-ack-pending (" + maxAckPending + ") must be at least --max-inflight ("
          + maxInflight + "), or the worker cannot fill its slots");
    }
  }
}
