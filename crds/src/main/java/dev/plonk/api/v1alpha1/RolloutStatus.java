package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the controller observed and decided; it resumes from here after a restart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStatus {
  public static final String READY = "Ready";
  public static final String PROMOTED = "Promoted";
  public static final String ANALYSIS = "Analysis";
  /** A confirm-* webhook holds the rollout (False) or the last gate opened (True); only with such webhooks. */
  public static final String GATE = "Gate";
  /** Every alert's AlertProvider was found (True) or one is missing (False); only with alerts. */
  public static final String ALERTS = "Alerts";
  /** The canary stopped being ready during the analysis (False, since when) or is ready again (True); only then. */
  public static final String CANARY_READY = "CanaryReady";

  @JsonPropertyDescription("Where the rollout stands: Initializing, Initialized, Waiting, Progressing, WaitingPromotion, Promoting, Finalising, Succeeded or Failed.")
  public Phase phase;
  @JsonPropertyDescription("Percent of traffic the route sends to the canary.")
  public Integer canaryWeight;
  @JsonPropertyDescription("Failed ticks of the revision under analysis.")
  public Integer failedChecks;
  @JsonPropertyDescription("Passed ticks of a blueGreen analysis.")
  public Integer iterations;
  /** Hash of the target's pod template last seen. */
  @JsonPropertyDescription("Revision (pod-template hash) of the target last seen: the one under analysis.")
  public String lastAppliedSpec;
  /** Hash of the pod template last promoted to the primary. */
  @JsonPropertyDescription("Revision (pod-template hash) last promoted to the primary.")
  public String lastPromotedSpec;
  @JsonPropertyDescription("The Rollout generation this status was computed from.")
  public Long observedGeneration;
  /** RFC 3339: when the current phase (or step) started, for the progress deadline. */
  @JsonPropertyDescription("When the current phase (or weight step) started (RFC 3339); the progress deadline counts from here.")
  public String lastTransitionTime;
  /** RFC 3339: when the last analysis tick ran, so a restarted controller keeps the cadence. */
  @JsonPropertyDescription("When the last analysis tick ran (RFC 3339), so a restarted controller keeps the cadence.")
  public String lastAnalysisTime;
  @JsonPropertyDescription("The last decision or what the rollout waits for, in words.")
  public String message;
  @JsonPropertyDescription("Ready, Promoted and Analysis, each with a reason and message; Gate with confirm-* webhooks "
      + "(which hook holds the rollout), Alerts with alerts (a missing AlertProvider).")
  public List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("The checks of the last tick with their values.")
  public List<AnalysisResult> lastAnalysis = new ArrayList<>();
  @JsonPropertyDescription("The ConfigMaps and Secrets the target's pod template references, with the checksums of the "
      + "revision under analysis: they are part of it.")
  public List<TrackedConfig> trackedConfigs = new ArrayList<>();
}
