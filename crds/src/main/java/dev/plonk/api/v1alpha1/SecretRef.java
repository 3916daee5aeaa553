package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A Secret in the AlertProvider's namespace holding the webhook address under the key {@value #ADDRESS_KEY}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {
  public static final String ADDRESS_KEY = "address";

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("The Secret's name; its key 'address' holds the webhook URL.")
  public String name;

  public SecretRef() {}

  public SecretRef(String name) {
    this.name = name;
  }
}
