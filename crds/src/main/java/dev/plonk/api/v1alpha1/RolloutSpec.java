package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** What the user declares; see the Rollout API in README. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutSpec {
  @Required
  public TargetRef targetRef;

  @Required
  public ServiceSpec service;

  /** Unset: the controller's {@code --default-provider}. */
  public Provider provider;

  @Default("canary")
  public Strategy strategy;

  @Required
  public AnalysisSpec analysis;

  @Default("600")
  @Min(1)
  public Integer progressDeadlineSeconds;

  public Boolean skipAnalysis;

  public Boolean paused;

  /** The apex Service name: {@code service.name}, else the target's name. */
  public String apexName() {
    return service != null && service.name != null ? service.name : targetRef.name;
  }

  public Strategy strategyOrDefault() {
    return strategy == null ? Strategy.CANARY : strategy;
  }

  public boolean pausedOrFalse() {
    return Boolean.TRUE.equals(paused);
  }

  public boolean skipAnalysisOrFalse() {
    return Boolean.TRUE.equals(skipAnalysis);
  }
}
