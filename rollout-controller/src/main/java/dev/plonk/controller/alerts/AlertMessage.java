package dev.plonk.controller.alerts;

import dev.plonk.api.v1alpha1.AnalysisResult;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.Severity;
import dev.plonk.controller.analysis.DecisionEvent;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One decision of a rollout as an alert, before any service's format: who, what, how bad, and the checks of the last
 * tick with their values and thresholds (the numbers behind a failure).
 *
 * @param level the event's own severity: error for a rollback or a deadline, warn for other warnings and held gates,
 *     info for everything else
 */
public record AlertMessage(String name, String namespace, String phase, String revision, Severity level, String reason,
    String text, List<Check> checks) {
  /** Reasons that announce the end of a revision's analysis in failure. */
  static final Set<String> ERRORS = Set.of("RolledBack", "ProgressDeadlineExceeded", "ReconcileError");
  /** Normal events that say a gate holds the rollout: a human may have to act. */
  static final Set<String> HELD = Set.of("Halted", "WaitingPromotion");

  /** A check of the last tick. {@code value} is null when there was no usable number, or for a webhook. */
  public record Check(String metric, Double value, String threshold, boolean passed, String message) {
    /** "50 (threshold [99.0, +inf]): failed", or the check's message when it has no value. */
    public String summary() {
      String verdict = passed ? "passed" : "failed";
      if (value == null) {
        return verdict + (message == null ? "" : ": " + message);
      }
      return format(value) + (threshold == null ? "" : " (threshold " + threshold + ")") + ": " + verdict;
    }
  }

  public static AlertMessage of(Rollout rollout, DecisionEvent event) {
    var status = rollout.getStatus();
    List<Check> checks = status == null || status.lastAnalysis == null ? List.of() : status.lastAnalysis.stream()
        .map(AlertMessage::check).toList();
    return new AlertMessage(rollout.getMetadata().getName(), rollout.getMetadata().getNamespace(),
        status == null || status.phase == null ? "" : status.phase.name(),
        status == null || status.lastAppliedSpec == null ? "" : status.lastAppliedSpec, level(event), event.reason(),
        event.message(), checks);
  }

  static Severity level(DecisionEvent event) {
    if (ERRORS.contains(event.reason())) {
      return Severity.ERROR;
    }
    return event.warning() || HELD.contains(event.reason()) ? Severity.WARN : Severity.INFO;
  }

  private static Check check(AnalysisResult r) {
    return new Check(r.metric, r.value, r.thresholdRange, Boolean.TRUE.equals(r.passed), r.message);
  }

  /** "echo.team-a" as Flagger names a canary in its messages. */
  public String subject() {
    return name + "." + namespace;
  }

  /** "echo.team-a RolledBack (error)". */
  public String title() {
    return subject() + " " + reason + " (" + level.wire() + ")";
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
