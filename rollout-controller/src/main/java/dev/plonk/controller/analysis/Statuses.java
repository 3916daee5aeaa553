package dev.plonk.controller.analysis;

import dev.plonk.api.v1alpha1.AnalysisResult;
import dev.plonk.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Objects;

/** Copies and condition bookkeeping for {@link RolloutStatus}, so the state machine never mutates its input. */
public final class Statuses {
  private Statuses() {}

  public static RolloutStatus copy(RolloutStatus in) {
    RolloutStatus out = new RolloutStatus();
    if (in == null) {
      return out;
    }
    out.phase = in.phase;
    out.canaryWeight = in.canaryWeight;
    out.failedChecks = in.failedChecks;
    out.iterations = in.iterations;
    out.lastAppliedSpec = in.lastAppliedSpec;
    out.lastPromotedSpec = in.lastPromotedSpec;
    out.observedGeneration = in.observedGeneration;
    out.lastTransitionTime = in.lastTransitionTime;
    out.lastAnalysisTime = in.lastAnalysisTime;
    out.message = in.message;
    out.conditions = new ArrayList<>();
    for (Condition c : in.conditions == null ? java.util.List.<Condition>of() : in.conditions) {
      out.conditions.add(new ConditionBuilder(c).build());
    }
    out.lastAnalysis = new ArrayList<>();
    for (AnalysisResult r : in.lastAnalysis == null ? java.util.List.<AnalysisResult>of() : in.lastAnalysis) {
      AnalysisResult copy = new AnalysisResult(r.metric, r.value, r.thresholdRange, Boolean.TRUE.equals(r.passed),
          r.time, r.message);
      copy.comparison = r.comparison;
      out.lastAnalysis.add(copy);
    }
    out.trackedConfigs = new ArrayList<>();
    for (var c : in.trackedConfigs == null ? java.util.List.<dev.plonk.api.v1alpha1.TrackedConfig>of() : in.trackedConfigs) {
      out.trackedConfigs.add(new dev.plonk.api.v1alpha1.TrackedConfig(c.kind, c.name, c.checksum));
    }
    return out;
  }

  /** Sets a condition; its lastTransitionTime only moves when its status flips. */
  public static void condition(RolloutStatus status, String type, boolean value, String reason, String message,
      Long generation, Instant now) {
    String newStatus = value ? "True" : "False";
    Condition existing = status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    String transition = existing != null && Objects.equals(existing.getStatus(), newStatus)
        ? existing.getLastTransitionTime() : now.toString();
    status.conditions.removeIf(c -> type.equals(c.getType()));
    status.conditions.add(new ConditionBuilder().withType(type).withStatus(newStatus).withReason(reason)
        .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(transition).build());
    status.conditions.sort(java.util.Comparator.comparing(Condition::getType));
  }

  public static Condition find(RolloutStatus status, String type) {
    return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  public static int intOr0(Integer i) {
    return i == null ? 0 : i;
  }
}
