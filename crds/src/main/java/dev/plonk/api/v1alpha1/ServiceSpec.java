package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The apex Service: {@code name} (default: the target's name), its {@code port} and the pods' {@code targetPort}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceSpec {
  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port of the apex, primary and canary Services.")
  public Integer port;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("The pods' port the Services forward to. Default: port.")
  public Integer targetPort;

  @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the apex Service clients call (<name>-primary and <name>-canary are made beside it). Default: the target's name.")
  public String name;

  public ServiceSpec() {}

  public ServiceSpec(int port) {
    this.port = port;
  }
}
