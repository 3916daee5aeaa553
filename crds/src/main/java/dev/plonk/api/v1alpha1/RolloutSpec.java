package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.time.Duration;

/** What the user declares; see the Rollout API in README. Every default is declared here, next to its field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutSpec {
  public static final String DEFAULT_PROGRESS_DEADLINE_SECONDS = "600";

  @Required
  @JsonPropertyDescription("The Deployment to roll out. Its pod template is the revision: a change starts an analysis.")
  public TargetRef targetRef;

  @Required
  @JsonPropertyDescription("The apex Service clients call, and the ports of the primary and canary Services.")
  public ServiceSpec service;

  @JsonPropertyDescription("The HorizontalPodAutoscaler (autoscaling/v2) that scales the target. The primary gets its "
      + "own copy; the controller then never sets the replicas of a running Deployment: the canary starts from the "
      + "primary's current replicas and the HPA takes it from there.")
  public AutoscalerRef autoscalerRef;

  @JsonPropertyDescription("The routing object that carries the weights: smi (TrafficSplit) or gatewayapi (HTTPRoute). "
      + "Unset: the controller's --default-provider.")
  public Provider provider;

  @Default("canary")
  @JsonPropertyDescription("canary: the weight rises step by step while every check passes. blueGreen: the canary is "
      + "checked at weight 0 for analysis.iterations ticks, then takes all traffic at once. Default canary.")
  public Strategy strategy;

  @Required
  @JsonPropertyDescription("How the canary is checked and how its weight moves.")
  public AnalysisSpec analysis;

  @Default(DEFAULT_PROGRESS_DEADLINE_SECONDS)
  @Min(1)
  @JsonPropertyDescription("Seconds any waiting phase may last: the canary becoming ready, the primary becoming ready "
      + "at bootstrap or after promotion. Past it the rollout is rolled back or marked failed, with the reason in "
      + "status. Default " + DEFAULT_PROGRESS_DEADLINE_SECONDS + ".")
  public Integer progressDeadlineSeconds;

  @Default("false")
  @JsonPropertyDescription("Promote a new revision without analysis (the weight steps are skipped). Default false.")
  public Boolean skipAnalysis;

  @Default("false")
  @JsonPropertyDescription("Hold the rollout at its current weight: no tick runs and no weight moves until it is "
      + "false again. Routes, Events and status are still kept. Default false.")
  public Boolean paused;

  @Default("false")
  @JsonPropertyDescription("Stop reconciling this Rollout altogether: nothing is written, the routes stay as they are "
      + "(no drift repair), new revisions wait. Default false.")
  public Boolean suspend;

  @Default("false")
  @JsonPropertyDescription("On deletion of the Rollout, give the target Deployment its replicas back, point the apex "
      + "Service at it and remove the primary and the route (true); or leave the primary serving and keep the objects "
      + "the controller made, only without their owner (false, Flagger's default). Default false.")
  public Boolean revertOnDeletion;

  /** The apex Service name: {@code service.name}, else the target's name. */
  public String apexName() {
    return service != null && service.name != null ? service.name : targetRef.name;
  }

  public Strategy strategyOrDefault() {
    return strategy == null ? Strategy.CANARY : strategy;
  }

  /** {@link #provider}, else the controller's default. */
  public Provider providerOr(Provider controllerDefault) {
    return provider == null ? controllerDefault : provider;
  }

  public Duration progressDeadline() {
    return Duration.ofSeconds(progressDeadlineSeconds == null ? Integer.parseInt(DEFAULT_PROGRESS_DEADLINE_SECONDS)
        : progressDeadlineSeconds);
  }

  public boolean pausedOrFalse() {
    return Boolean.TRUE.equals(paused);
  }

  public boolean skipAnalysisOrFalse() {
    return Boolean.TRUE.equals(skipAnalysis);
  }

  public boolean suspendOrFalse() {
    return Boolean.TRUE.equals(suspend);
  }

  public boolean revertOnDeletionOrFalse() {
    return Boolean.TRUE.equals(revertOnDeletion);
  }
}
