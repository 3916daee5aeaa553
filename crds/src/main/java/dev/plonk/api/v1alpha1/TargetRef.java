package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The Deployment a rollout manages. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetRef {
  @Default("apps/v1")
  @ValidationRule(value = "self == 'apps/v1'", message = "targetRef.apiVersion must be apps/v1")
  @JsonPropertyDescription("Must be apps/v1. Default apps/v1.")
  public String apiVersion;

  @Required
  @ValidationRule(value = "self == 'Deployment'", message = "targetRef.kind must be Deployment: only Deployments can be rolled out")
  @JsonPropertyDescription("Must be Deployment.")
  public String kind;

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("The Deployment's name, in the Rollout's namespace.")
  public String name;

  public TargetRef() {}

  public TargetRef(String kind, String name) {
    this.apiVersion = "apps/v1";
    this.kind = kind;
    this.name = name;
  }
}
