package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One check run every interval against the canary. The built-in names {@value #SUCCESS_RATE} (percent) and
 * {@value #DURATION} (p99, milliseconds) need no query; any other name needs a PromQL {@code query} that may use
 * {@code {{namespace}} {{target}} {{primary}} {{canary}} {{interval}}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.name in ['request-success-rate', 'request-duration'] || has(self.query)",
    message = "a custom metric needs a query: only request-success-rate and request-duration are built in")
public class MetricCheck {
  public static final String SUCCESS_RATE = "request-success-rate";
  public static final String DURATION = "request-duration";

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  public String name;

  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) >= duration('1s')", message = "metric interval must be at least 1s")
  public String interval;

  @Required
  public ThresholdRange thresholdRange;

  public String query;

  public MetricCheck() {}

  public MetricCheck(String name, ThresholdRange thresholdRange) {
    this.name = name;
    this.thresholdRange = thresholdRange;
  }

  public boolean builtIn() {
    return query == null && (SUCCESS_RATE.equals(name) || DURATION.equals(name));
  }
}
