package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The incoming-webhook format an {@link AlertProvider} posts. */
public enum AlertProviderType {
  /** Slack incoming webhook: text, channel, username and a coloured attachment with fields. */
  @JsonProperty("slack")
  SLACK,
  /** Microsoft Teams incoming webhook: an Office 365 connector MessageCard with facts. */
  @JsonProperty("msteams")
  MSTEAMS,
  /** Discord webhook: content, username and an embed with fields. */
  @JsonProperty("discord")
  DISCORD,
  /** Plonk's own JSON (rollout, phase, reason, message, checks), for any HTTP receiver. */
  @JsonProperty("generic")
  GENERIC;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
