package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One check run every interval against the canary. The built-in names {@value #SUCCESS_RATE} (percent) and
 * {@value #DURATION} (p99, milliseconds) need no query; any other name needs a PromQL {@code query} that may use
 * {@code {{namespace}} {{target}} {{primary}} {{canary}} {{interval}}}, or a {@code templateRef} to a {@link MetricTemplate}. A built-in check with {@code comparison: primary}
 * compares the canary with the primary instead of a fixed range: see {@link #tolerance} and {@link #confidence}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.name in ['request-success-rate', 'request-duration'] || has(self.query)"
    + " || has(self.templateRef)",
    message = "a custom metric needs a query or a templateRef: only request-success-rate and request-duration are built in")
@ValidationRule(value = "!has(self.templateRef) || (!has(self.query) && !has(self.comparison))",
    message = "templateRef replaces query: set one of them, and no comparison (a template is judged by its thresholdRange)")
@ValidationRule(value = "!has(self.templateVariables) || has(self.templateRef)",
    message = "templateVariables only apply with templateRef")
@ValidationRule(value = "has(self.comparison) || has(self.thresholdRange)",
    message = "a metric needs thresholdRange (e.g. {min: 99}), or comparison: primary with a tolerance")
@ValidationRule(value = "!has(self.comparison) || (self.name in ['request-success-rate', 'request-duration']"
    + " && !has(self.query) && !has(self.thresholdRange) && has(self.tolerance))",
    message = "comparison: primary works on the built-in request-success-rate or request-duration, without query or"
        + " thresholdRange, and needs a tolerance (percentage points of error rate, or percent of the primary's p99)")
@ValidationRule(value = "has(self.comparison) || (!has(self.tolerance) && !has(self.confidence))",
    message = "tolerance and confidence only apply with comparison: primary")
@ValidationRule(value = "!has(self.comparison) || self.name != 'request-success-rate' || self.tolerance < 100.0",
    message = "a request-success-rate tolerance is in percentage points of error rate and must be below 100")
public class MetricCheck {
  public static final String SUCCESS_RATE = "request-success-rate";
  public static final String DURATION = "request-duration";

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("The check's name: request-success-rate (percent of non-5xx responses) and request-duration (p99 in milliseconds) are built in; any other name needs a query.")
  public String name;

  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) >= duration('1s')", message = "metric interval must be at least 1s")
  @JsonPropertyDescription("The query's range window ({{interval}}) as a Go duration, at least 1s. Default: analysis.interval.")
  public String interval;

  /** Required unless {@code comparison} is set. */
  @JsonPropertyDescription("The check passes when min <= value <= max. No data, NaN or an unreachable Prometheus never "
      + "pass. Required unless comparison is set.")
  public ThresholdRange thresholdRange;

  @JsonPropertyDescription("PromQL returning one number; may use {{namespace}}, {{target}}, {{primary}}, {{canary}} and {{interval}}. Required unless the name is built in.")
  public String query;

  @JsonPropertyDescription("A MetricTemplate whose query (and Prometheus) this check uses instead of query. Its "
      + "namespace defaults to the Rollout's; a missing template fails the check with a condition, never passes.")
  public TemplateRef templateRef;

  @Size(max = 20)
  @JsonPropertyDescription("Values for the template's {{variables.NAME}} placeholders.")
  public Map<String, String> templateVariables;

  /** {@code primary}: compare the canary with the primary over the same window (built-in metrics only). */
  @JsonPropertyDescription("primary: judge the canary against the primary over the same window with a sequential test, "
      + "instead of a fixed thresholdRange (built-in metrics only).")
  public Baseline comparison;

  /**
   * With {@code comparison}: the tolerated degradation. For {@value #SUCCESS_RATE}, percentage points of error rate
   * (0.5: the canary may err 0.5 points more than the primary); for {@value #DURATION}, percent of the primary's p99
   * (20: the canary's p99 may be 20% higher).
   */
  @Min(0)
  @JsonPropertyDescription("With comparison: the tolerated degradation; for request-success-rate percentage points of "
      + "error rate, for request-duration percent of the primary's p99.")
  public Double tolerance;

  /** With {@code comparison}: the confidence of a rollback or an early promotion, in percent. Unset: 99. */
  @ValidationRule(value = "self >= 50.0 && self < 100.0", message = "confidence is a percentage in [50, 100), e.g. 99")
  @JsonPropertyDescription("With comparison: the confidence of a rollback or an early promotion, in percent, in "
      + "[50, 100). Default 99.")
  public Double confidence;

  public MetricCheck() {}

  public MetricCheck(String name, ThresholdRange thresholdRange) {
    this.name = name;
    this.thresholdRange = thresholdRange;
  }

  /** A {@code comparison: primary} check; {@code confidence} null means the default 99. */
  public static MetricCheck comparedWithPrimary(String name, Double tolerance, Double confidence) {
    MetricCheck c = new MetricCheck();
    c.name = name;
    c.comparison = Baseline.PRIMARY;
    c.tolerance = tolerance;
    c.confidence = confidence;
    return c;
  }

  /** True when this check compares the canary with the primary. */
  public boolean comparesWithPrimary() {
    return comparison == Baseline.PRIMARY;
  }

  /** The confidence as a fraction (0.99 when unset). */
  public double confidenceOrDefault() {
    return confidence == null ? 0.99 : confidence / 100;
  }

  /** The query window: {@link #interval} when set, else the analysis interval. */
  public java.time.Duration windowOr(java.time.Duration analysisInterval) {
    return interval == null ? analysisInterval : Durations.parse(interval);
  }

  public boolean builtIn() {
    return query == null && templateRef == null && (SUCCESS_RATE.equals(name) || DURATION.equals(name));
  }
}
