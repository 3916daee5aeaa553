package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the controller observed and decided; it resumes from here after a restart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStatus {
  public static final String READY = "Ready";
  public static final String PROMOTED = "Promoted";
  public static final String ANALYSIS = "Analysis";

  public Phase phase;
  public Integer canaryWeight;
  public Integer failedChecks;
  public Integer iterations;
  /** Hash of the target's pod template last seen. */
  public String lastAppliedSpec;
  /** Hash of the pod template last promoted to the primary. */
  public String lastPromotedSpec;
  public Long observedGeneration;
  /** RFC 3339: when the current phase (or step) started, for the progress deadline. */
  public String lastTransitionTime;
  /** RFC 3339: when the last analysis tick ran, so a restarted controller keeps the cadence. */
  public String lastAnalysisTime;
  public String message;
  public List<Condition> conditions = new ArrayList<>();
  public List<AnalysisResult> lastAnalysis = new ArrayList<>();
}
