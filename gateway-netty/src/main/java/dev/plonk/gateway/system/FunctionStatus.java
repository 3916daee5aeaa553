package dev.plonk.gateway.system;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** OpenFaaS {@code FunctionStatus}: what {@code GET /system/functions} lists. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FunctionStatus(
    String name,
    String image,
    String namespace,
    String envProcess,
    long invocationCount,
    int replicas,
    int availableReplicas,
    Map<String, String> labels,
    Map<String, String> annotations,
    String createdAt) {}
