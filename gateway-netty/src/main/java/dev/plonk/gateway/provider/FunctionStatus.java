package dev.plonk.gateway.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * OpenFaaS {@code FunctionStatus}: what {@code GET /system/functions} lists and {@code GET /system/function/<name>}
 * returns. Field names, JSON types and omission rules follow faas-provider's {@code types.FunctionStatus} (Go's
 * {@code omitempty}: empty strings, maps and lists, zero numbers and false are left out; {@code name} and
 * {@code image} always appear; {@code createdAt} is RFC 3339).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FunctionStatus(
    @JsonInclude(JsonInclude.Include.ALWAYS) String name,
    @JsonInclude(JsonInclude.Include.ALWAYS) String image,
    String namespace,
    String envProcess,
    Map<String, String> envVars,
    List<String> constraints,
    List<String> secrets,
    Map<String, String> labels,
    Map<String, String> annotations,
    FunctionDeployment.Resources limits,
    FunctionDeployment.Resources requests,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean readOnlyRootFilesystem,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) double invocationCount,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long replicas,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long availableReplicas,
    String createdAt,
    Usage usage) {

  /** The same status with the gateway's invocation count. */
  public FunctionStatus withInvocationCount(double count) {
    return new FunctionStatus(name, image, namespace, envProcess, envVars, constraints, secrets, labels, annotations,
        limits, requests, readOnlyRootFilesystem, count, replicas, availableReplicas, createdAt, usage);
  }

  /** faas-provider {@code FunctionUsage}: CPU (cores) and memory in use, where the provider can know them. */
  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  public record Usage(double cpu, double totalMemoryBytes) {}
}
