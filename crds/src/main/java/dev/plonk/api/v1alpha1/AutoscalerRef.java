package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The HorizontalPodAutoscaler that scales the target; the primary gets its own copy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoscalerRef {
  @Default("autoscaling/v2")
  @ValidationRule(value = "self == 'autoscaling/v2'", message = "autoscalerRef.apiVersion must be autoscaling/v2")
  @JsonPropertyDescription("Must be autoscaling/v2. Default autoscaling/v2.")
  public String apiVersion;

  @Default("HorizontalPodAutoscaler")
  @ValidationRule(value = "self == 'HorizontalPodAutoscaler'",
      message = "autoscalerRef.kind must be HorizontalPodAutoscaler")
  @JsonPropertyDescription("Must be HorizontalPodAutoscaler. Default HorizontalPodAutoscaler.")
  public String kind;

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("The HPA's name, in the Rollout's namespace; it must target the target Deployment. The "
      + "primary gets a copy <name>-primary targeting <target>-primary, updated on promotion.")
  public String name;

  public AutoscalerRef() {}

  public AutoscalerRef(String name) {
    this.apiVersion = "autoscaling/v2";
    this.kind = "HorizontalPodAutoscaler";
    this.name = name;
  }
}
