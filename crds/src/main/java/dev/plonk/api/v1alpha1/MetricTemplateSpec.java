package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** What a {@link MetricTemplate} runs: one PromQL query on one provider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricTemplateSpec {
  @Required
  @JsonPropertyDescription("Where the query runs.")
  public MetricProvider provider;

  @Required
  @Size(min = 1, max = 8192)
  @JsonPropertyDescription("PromQL returning one number; may use {{namespace}}, {{target}}, {{primary}}, {{canary}}, "
      + "{{interval}} as inline queries do, and {{variables.NAME}} for the referencing check's templateVariables.")
  public String query;
}
