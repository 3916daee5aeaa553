package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The metrics backend of a {@link MetricTemplate}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricProvider {
  /** The keys read from {@link #secretRef}'s Secret. */
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String TOKEN = "token";

  @Required
  @JsonPropertyDescription("The provider's kind; only prometheus today.")
  public MetricProviderType type;

  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription("Base URL of the Prometheus HTTP API, e.g. https://prometheus.monitoring:9090. Unset: the "
      + "Rollout's analysis.metricsServer, else the controller's --metrics-server.")
  public String address;

  @JsonPropertyDescription("A Secret in the template's namespace holding either username and password (basic auth) or "
      + "token (sent as 'Authorization: Bearer'). Unset: no credentials.")
  public SecretRef secretRef;

  @JsonPropertyDescription("Accept any TLS certificate from an https address (tests, self-signed setups). Default false.")
  public Boolean insecureSkipVerify;

  public boolean insecureSkipVerifyOrFalse() {
    return Boolean.TRUE.equals(insecureSkipVerify);
  }

  /** A Secret by name, in the referencing object's namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecretRef {
    @Required
    @JsonPropertyDescription("The Secret's name.")
    public String name;

    public SecretRef() {}

    public SecretRef(String name) {
      this.name = name;
    }
  }
}
