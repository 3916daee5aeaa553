package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Sends the rollout's decisions at or above {@code severity} to an {@link AlertProvider}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Alert {
  @Required
  @Size(max = 63)
  @Pattern("^[a-zA-Z0-9]([-_. a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$")
  @JsonPropertyDescription("The alert's name, unique in the Rollout.")
  public String name;

  @Default("info")
  @JsonPropertyDescription("info: every decision (new revision, weight steps, promotion, rollback); warn: failed "
      + "checks, held gates, failed hooks and errors; error: rollbacks and deadlines only. Default info.")
  public Severity severity;

  @Required
  @JsonPropertyDescription("The AlertProvider that delivers the messages.")
  public ProviderRef providerRef;

  public Alert() {}

  public Alert(String name, Severity severity, ProviderRef providerRef) {
    this.name = name;
    this.severity = severity;
    this.providerRef = providerRef;
  }

  public Severity severityOrDefault() {
    return severity == null ? Severity.INFO : severity;
  }
}
