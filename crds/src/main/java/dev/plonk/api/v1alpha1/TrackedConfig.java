package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A ConfigMap or Secret the target's pod template references: part of the revision, copied for the primary. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrackedConfig {
  @JsonPropertyDescription("ConfigMap or Secret.")
  public String kind;

  @JsonPropertyDescription("The target's config; the primary runs on its copy <name>-primary, written on promotion.")
  public String name;

  @JsonPropertyDescription("Checksum of the config's data: a change is a new revision, analysed like a template change.")
  public String checksum;

  public TrackedConfig() {}

  public TrackedConfig(String kind, String name, String checksum) {
    this.kind = kind;
    this.name = name;
    this.checksum = checksum;
  }
}
