package dev.plonk.controller.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flagger's webhook payload ({@code CanaryWebhookPayload}), field for field, so a receiver written for Flagger works
 * unchanged: {@code {"name", "namespace", "phase", "checksum", "metadata"}}; metadata is left out when empty. An event
 * hook's metadata carries the Event as Flagger sends it: {@code eventMessage}, {@code eventType} (Normal or Warning)
 * and {@code timestamp} (Unix milliseconds, as a string), added to the hook's own metadata.
 *
 * @param checksum the revision under analysis (the target's pod-template hash, configs included)
 */
public record WebhookPayload(String name, String namespace, String phase, String checksum, Map<String, String> metadata) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The payload of an event hook: the hook's metadata plus the Event. */
  public static WebhookPayload event(String name, String namespace, String phase, String checksum,
      Map<String, String> hookMetadata, String message, boolean warning, long epochMillis) {
    Map<String, String> metadata = new LinkedHashMap<>(hookMetadata == null ? Map.of() : hookMetadata);
    metadata.put("eventMessage", message);
    metadata.put("eventType", warning ? "Warning" : "Normal");
    metadata.put("timestamp", Long.toString(epochMillis));
    return new WebhookPayload(name, namespace, phase, checksum, metadata);
  }

  public byte[] toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("namespace", namespace);
    out.put("phase", phase == null ? "" : phase);
    out.put("checksum", checksum == null ? "" : checksum);
    if (metadata != null && !metadata.isEmpty()) {
      out.put("metadata", new java.util.TreeMap<>(metadata));
    }
    try {
      return JSON.writeValueAsString(out).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a webhook payload", e);
    }
  }
}
