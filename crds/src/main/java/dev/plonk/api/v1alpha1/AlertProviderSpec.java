package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where and how alerts are posted: a service's incoming webhook, given inline or by a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.address) != has(self.secretRef)",
    message = "an AlertProvider needs exactly one of address (the webhook URL) or secretRef (a Secret whose key "
        + "'address' holds it)")
@ValidationRule(value = "!has(self.channel) || self.type == 'slack'",
    message = "channel applies to slack only: msteams and discord webhooks post to the channel they were created for")
@ValidationRule(value = "!has(self.username) || self.type == 'slack' || self.type == 'discord'",
    message = "username applies to slack and discord only")
public class AlertProviderSpec {
  @Required
  @JsonPropertyDescription("The message format: slack, msteams, discord or generic (Plonk's JSON).")
  public AlertProviderType type;

  @ValidationRule(value = "self.matches('^https?://[^\\\\s/?#]+([/?#][^\\\\s]*)?$')",
      message = "address must be an absolute http or https URL, e.g. https://hooks.slack.com/services/T0/B0/XYZ")
  @Size(max = 2048)
  @JsonPropertyDescription("The incoming-webhook URL. Use secretRef instead to keep it out of the spec.")
  public String address;

  @JsonPropertyDescription("A Secret in this namespace whose key 'address' holds the webhook URL.")
  public SecretRef secretRef;

  @JsonPropertyDescription("Slack: the channel to post to, e.g. '#releases'. Unset: the webhook's own channel.")
  public String channel;

  @JsonPropertyDescription("Slack and Discord: the name the message is posted under. Default plonk.")
  public String username;

  public AlertProviderSpec() {}

  public AlertProviderSpec(AlertProviderType type, String address) {
    this.type = type;
    this.address = address;
  }

  public String usernameOrDefault() {
    return username == null ? "plonk" : username;
  }
}
