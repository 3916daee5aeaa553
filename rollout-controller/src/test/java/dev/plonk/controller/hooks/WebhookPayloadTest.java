package dev.plonk.controller.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

/** Flagger's webhook payload, byte for byte, and the words a failed call is described with. */
class WebhookPayloadTest {

  @Test
  void payloadHasFlaggersFieldsInFlaggersOrder() {
    String json = new String(new WebhookPayload("echo", "team-a", "Progressing", "5d8f7c",
        Map.of("type", "cmd", "cmd", "hey -z 1m http://echo-canary:8080/")).toJson(), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"name\":\"echo\",\"namespace\":\"team-a\",\"phase\":\"Progressing\","
        + "\"checksum\":\"5d8f7c\",\"metadata\":{\"cmd\":\"hey -z 1m http://echo-canary:8080/\",\"type\":\"cmd\"}}");
  }

  @Test
  void emptyMetadataIsLeftOutAsGoOmitsIt() {
    assertThat(new String(new WebhookPayload("echo", "team-a", "Waiting", "5d8f7c", Map.of()).toJson(),
        StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"echo\",\"namespace\":\"team-a\",\"phase\":\"Waiting\","
        + "\"checksum\":\"5d8f7c\"}");
  }

  @Test
  void eventPayloadAddsTheEventToTheHooksMetadata() {
    WebhookPayload p = WebhookPayload.event("echo", "team-a", "Failed", "5d8f7c", Map.of("team", "a"),
        "rolled back", true, 1764000000123L);
    assertThat(p.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "a", "eventMessage", "rolled back",
        "eventType", "Warning", "timestamp", "1764000000123"));
  }

  @Test
  void failuresAreNamed() {
    assertThat(HookCaller.failure(new HttpTimeoutException("request timed out"), Duration.ofSeconds(2)))
        .isEqualTo("timed out after 2s");
    assertThat(HookCaller.failure(new java.net.ConnectException(), Duration.ofSeconds(2)))
        .isEqualTo("connection refused");
    assertThat(new HookResult(false, 3, "HTTP 500").describe()).isEqualTo("HTTP 500 (3 attempts)");
  }
}
