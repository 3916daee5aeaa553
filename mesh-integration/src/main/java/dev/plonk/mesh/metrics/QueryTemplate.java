package dev.plonk.mesh.metrics;

import dev.plonk.api.v1alpha1.Durations;
import java.time.Duration;

/**
 * Renders a user's PromQL: {@code {{namespace}}}, {@code {{target}}} (the target Deployment), {@code {{primary}}} and
 * {@code {{canary}}} (the backend Services), {@code {{interval}}} (e.g. {@code 30s}). Spaces inside braces are allowed.
 */
public final class QueryTemplate {
  private QueryTemplate() {}

  public static String render(String template, MetricTarget t, Duration interval) {
    return template
        .replaceAll("\\{\\{\\s*namespace\\s*}}", t.namespace())
        .replaceAll("\\{\\{\\s*target\\s*}}", t.target())
        .replaceAll("\\{\\{\\s*primary\\s*}}", t.primary())
        .replaceAll("\\{\\{\\s*canary\\s*}}", t.canary())
        .replaceAll("\\{\\{\\s*interval\\s*}}", Durations.promql(interval));
  }
}
