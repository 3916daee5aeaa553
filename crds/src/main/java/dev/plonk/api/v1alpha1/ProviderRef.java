package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Names an {@link AlertProvider}; its namespace defaults to the Rollout's. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProviderRef {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("The AlertProvider's name.")
  public String name;

  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("The AlertProvider's namespace. Default: the Rollout's.")
  public String namespace;

  public ProviderRef() {}

  public ProviderRef(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }
}
