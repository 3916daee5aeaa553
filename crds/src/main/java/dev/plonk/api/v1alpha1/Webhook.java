package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Duration;
import java.util.Map;

/**
 * An HTTP hook of the analysis, as in Flagger: the controller POSTs Flagger's webhook payload (name, namespace, phase,
 * checksum, metadata) to {@code url} and reads the answer's status code. Every call is bounded by {@code timeout} and
 * made off the reconcile threads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Webhook {
  public static final String DEFAULT_TIMEOUT = "10s";

  @Required
  @Size(max = 63)
  @Pattern("^[a-zA-Z0-9]([-_. a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$")
  @JsonPropertyDescription("The hook's name, unique in the Rollout; named in the status, Events and alerts.")
  public String name;

  @Required
  @JsonPropertyDescription("When it is called: confirm-rollout, pre-rollout, rollout, confirm-traffic-increase, "
      + "confirm-promotion, post-rollout, rollback or event (Flagger's types and semantics).")
  public WebhookType type;

  @Required
  @ValidationRule(value = "self.matches('^https?://[^\\\\s/?#]+([/?#][^\\\\s]*)?$')",
      message = "webhook url must be an absolute http or https URL, e.g. http://approver.team-a:8080/gate")
  @Size(max = 2048)
  @JsonPropertyDescription("The http or https URL the payload is POSTed to.")
  public String url;

  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) >= duration('1ms') && duration(self) <= duration('1h')",
      message = "webhook timeout must be between 1ms and 1h, e.g. 10s")
  @JsonPropertyDescription("How long one call may take, as a Go duration (a call past it counts as failed). "
      + "Default " + DEFAULT_TIMEOUT + ".")
  public String timeout;

  @JsonPropertyDescription("String pairs sent as the payload's metadata, e.g. {type: cmd, cmd: 'hey -z 1m ...'} for "
      + "Flagger's load tester.")
  public Map<String, String> metadata;

  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Further attempts after a failed call (non-2xx, refused, timed out) within one round. "
      + "Default 0.")
  public Integer retries;

  @JsonPropertyDescription("Send no alert when this hook fails or holds a gate. Default false.")
  public Boolean muteAlert;

  public Webhook() {}

  public Webhook(String name, WebhookType type, String url) {
    this.name = name;
    this.type = type;
    this.url = url;
  }

  public Duration timeoutDuration() {
    return Durations.parse(timeout == null ? DEFAULT_TIMEOUT : timeout);
  }

  public int retriesOrDefault() {
    return retries == null ? 0 : retries;
  }

  public boolean muteAlertOrFalse() {
    return Boolean.TRUE.equals(muteAlert);
  }
}
