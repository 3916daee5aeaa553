package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A {@link MetricTemplate} by name; in the Rollout's own namespace unless {@code namespace} names another one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TemplateRef {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("The MetricTemplate's name.")
  public String name;

  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("The MetricTemplate's namespace. Unset: the Rollout's namespace (a template elsewhere is "
      + "only found when named here).")
  public String namespace;

  public TemplateRef() {}

  public TemplateRef(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }

  public String namespaceOr(String rolloutNamespace) {
    return namespace == null ? rolloutNamespace : namespace;
  }
}
