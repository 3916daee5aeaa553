package dev.plonk.gateway.system;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/** OpenFaaS {@code FunctionDeployment}: the body of {@code POST|PUT /system/functions}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FunctionDeployment(
    String service,
    String image,
    String namespace,
    String envProcess,
    Map<String, String> envVars,
    List<String> constraints,
    List<String> secrets,
    Map<String, String> labels,
    Map<String, String> annotations,
    Resources limits,
    Resources requests,
    Boolean readOnlyRootFilesystem) {

  /** {@code {memory, cpu}} as Kubernetes quantities. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Resources(String memory, String cpu) {}
}
