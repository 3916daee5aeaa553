package dev.plonk.mesh.metrics;

import dev.plonk.api.v1alpha1.Durations;
import java.time.Duration;

/**
 * Renders a user's PromQL: {@code {{namespace}}}, {@code {{target}}} (the target Deployment), {@code {{primary}}} and
 * {@code {{canary}}} (the backend Services), {@code {{interval}}} (e.g. {@code 30s}). Spaces inside braces are allowed.
 */
public final class QueryTemplate {
  private static final java.util.regex.Pattern VARIABLE =
      java.util.regex.Pattern.compile("\\{\\{\\s*variables\\.([A-Za-z0-9_-]+)\\s*}}");

  private QueryTemplate() {}

  /**
   * A MetricTemplate's query: the same names as {@link #render(String, MetricTarget, Duration)}, plus
   * {@code {{variables.NAME}}} from the referencing check's {@code templateVariables}.
   *
   * @throws IllegalArgumentException naming a variable the query uses and {@code variables} lacks
   */
  public static String render(String template, MetricTarget t, Duration interval, java.util.Map<String, String> variables) {
    java.util.regex.Matcher m = VARIABLE.matcher(render(template, t, interval));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("the query uses {{variables." + m.group(1) + "}} but templateVariables has "
            + "no '" + m.group(1) + "' (it has " + new java.util.TreeSet<>(variables.keySet()) + ")");
      }
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  public static String render(String template, MetricTarget t, Duration interval) {
    return template
        .replaceAll("\\{\\{\\s*namespace\\s*}}", t.namespace())
        .replaceAll("\\{\\{\\s*target\\s*}}", t.target())
        .replaceAll("\\{\\{\\s*primary\\s*}}", t.primary())
        .replaceAll("\\{\\{\\s*canary\\s*}}", t.canary())
        .replaceAll("\\{\\{\\s*interval\\s*}}", Durations.promql(interval));
  }
}
