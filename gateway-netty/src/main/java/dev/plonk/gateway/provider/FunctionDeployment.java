package dev.plonk.gateway.provider;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * OpenFaaS {@code FunctionDeployment}: the body of {@code POST|PUT /system/functions}. Field names, types and
 * omission rules are those of faas-provider's {@code types.FunctionDeployment}; unknown fields are ignored as Go's
 * JSON decoder ignores them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FunctionDeployment(
    @JsonInclude(JsonInclude.Include.ALWAYS) String service,
    @JsonInclude(JsonInclude.Include.ALWAYS) String image,
    String namespace,
    String envProcess,
    Map<String, String> envVars,
    List<String> constraints,
    List<String> secrets,
    Map<String, String> labels,
    Map<String, String> annotations,
    Resources limits,
    Resources requests,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean readOnlyRootFilesystem) {

  /** {@code {memory, cpu}} as Kubernetes quantities (faas-provider {@code FunctionResources}). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Resources(String memory, String cpu) {
    @JsonIgnore
    public boolean isEmpty() {
      return (memory == null || memory.isBlank()) && (cpu == null || cpu.isBlank());
    }
  }
}
