package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How often to check, how many failures to tolerate, and how the weight moves. Every default lives here, once: the
 * {@code @Default} the apiserver fills in and the {@code ...OrDefault()} accessor the controller reads are the same
 * constant, so a Rollout built in Java (tests) behaves like one read from the apiserver.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.stepWeight) || !has(self.maxWeight) || self.stepWeight <= self.maxWeight",
    message = "analysis.stepWeight must not exceed analysis.maxWeight")
public class AnalysisSpec {
  public static final String DEFAULT_INTERVAL = "30s";
  public static final String DEFAULT_THRESHOLD = "5";
  public static final String DEFAULT_STEP_WEIGHT = "10";
  public static final String DEFAULT_MAX_WEIGHT = "50";
  public static final String DEFAULT_ITERATIONS = "5";
  public static final String DEFAULT_READY_THRESHOLD = "100";

  @Default(DEFAULT_INTERVAL)
  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) >= duration('1s')",
      message = "analysis.interval must be at least 1s (a duration such as 30s or 1m)")
  @JsonPropertyDescription("Time between two analysis ticks (metric checks and one weight step), as a Go duration "
      + "such as 30s or 1m; at least 1s. Also the window of the built-in queries and the cadence of drift repair. "
      + "Default " + DEFAULT_INTERVAL + ".")
  public String interval;

  @Default(DEFAULT_THRESHOLD)
  @Min(1)
  @JsonPropertyDescription("Failed checks tolerated before the canary is rolled back: the rollback happens at the "
      + "threshold-th failed tick. Default " + DEFAULT_THRESHOLD + ".")
  public Integer threshold;

  @Default(DEFAULT_STEP_WEIGHT)
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Canary strategy: percent of traffic added to the canary after each passing tick "
      + "(ignored when stepWeights is set). Default " + DEFAULT_STEP_WEIGHT + ".")
  public Integer stepWeight;

  @Default(DEFAULT_MAX_WEIGHT)
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Canary strategy: the last weight analysed before promotion (ignored when stepWeights is "
      + "set). Default " + DEFAULT_MAX_WEIGHT + ".")
  public Integer maxWeight;

  @Size(max = 20)
  @ValidationRule(value = "self.all(w, w >= 1 && w <= 100)", message = "analysis.stepWeights must each be between 1 and 100")
  @ValidationRule(value = "self.isSorted() && self.all(w, self.filter(x, x == w).size() == 1)",
      message = "analysis.stepWeights must be strictly ascending, e.g. [5, 10, 25, 50]")
  @JsonPropertyDescription("Canary strategy: explicit weights to walk through, strictly ascending, each 1..100; the "
      + "last one is analysed before promotion. Overrides stepWeight and maxWeight.")
  public List<Integer> stepWeights;

  @Default(DEFAULT_ITERATIONS)
  @Min(1)
  @JsonPropertyDescription("Blue/green strategy: passing ticks needed at weight 0 before the canary takes all "
      + "traffic and is promoted. Default " + DEFAULT_ITERATIONS + ".")
  public Integer iterations;

  /** Early promotion by comparison checks never happens below this canary weight. Unset: at any weight. */
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Comparison checks: the lowest canary weight at which they may promote early. Unset: any.")
  public Integer minWeight;

  /** Early promotion by comparison checks never happens before the canary has been analysed this long. */
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Comparison checks: how long the canary must have been analysed before they may promote "
      + "early, as a Go duration. Unset: no minimum.")
  public String minDuration;

  @JsonPropertyDescription("Whose metrics the built-in checks read: gateway (the Plonk gateway's per-backend "
      + "series) or linkerd (Linkerd proxy series). Unset: the controller's --default-metrics-observer.")
  public MetricsObserverKind metricsObserver;

  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription("Base URL of the Prometheus HTTP API the checks query, e.g. http://prometheus.monitoring:9090. "
      + "Unset: the controller's --metrics-server.")
  public String metricsServer;

  @Default(DEFAULT_READY_THRESHOLD)
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Percent of the primary's updated replicas that must be available for the primary to count "
      + "as ready (at bootstrap and after promotion). Default " + DEFAULT_READY_THRESHOLD + ".")
  public Integer primaryReadyThreshold;

  @Default(DEFAULT_READY_THRESHOLD)
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Percent of the canary's updated replicas that must be available before its analysis "
      + "starts. Default " + DEFAULT_READY_THRESHOLD + ".")
  public Integer canaryReadyThreshold;

  @Size(max = 20)
  @JsonPropertyDescription("The checks run against the canary at every tick; all must pass for the weight to move.")
  public List<MetricCheck> metrics = new ArrayList<>();

  @JsonPropertyDescription("Synthetic traffic the controller sends to the canary through the gateway while it is "
      + "analysed (phases Progressing and WaitingPromotion), so a quiet function or a blue/green canary at weight 0 "
      + "gets a verdict. "
      + "Unset: none.")
  public LoadSpec load;

  @Size(max = 20)
  @ValidationRule(value = "self.all(w, self.filter(x, x.name == w.name).size() == 1)",
      message = "analysis.webhooks names must be unique: two hooks share a name")
  @JsonPropertyDescription("HTTP hooks called around and during the analysis, with Flagger's types and payload: "
      + "gates (confirm-*), acceptance and load tests (pre-rollout, rollout), notifications (post-rollout, event) "
      + "and an external rollback switch (rollback).")
  public List<Webhook> webhooks = new ArrayList<>();

  @Size(max = 10)
  @ValidationRule(value = "self.all(a, self.filter(x, x.name == a.name).size() == 1)",
      message = "analysis.alerts names must be unique: two alerts share a name")
  @JsonPropertyDescription("Where the rollout's decisions are posted (Slack, Microsoft Teams, Discord, generic JSON), "
      + "each through an AlertProvider and filtered by severity.")
  public List<Alert> alerts = new ArrayList<>();

  /** {@link #interval}, parsed; {@value #DEFAULT_INTERVAL} when unset. */
  public Duration intervalDuration() {
    return Durations.parse(interval == null ? DEFAULT_INTERVAL : interval);
  }

  public int thresholdOrDefault() {
    return threshold == null ? Integer.parseInt(DEFAULT_THRESHOLD) : threshold;
  }

  public int iterationsOrDefault() {
    return iterations == null ? Integer.parseInt(DEFAULT_ITERATIONS) : iterations;
  }

  public int primaryReadyThresholdOrDefault() {
    return primaryReadyThreshold == null ? Integer.parseInt(DEFAULT_READY_THRESHOLD) : primaryReadyThreshold;
  }

  public int canaryReadyThresholdOrDefault() {
    return canaryReadyThreshold == null ? Integer.parseInt(DEFAULT_READY_THRESHOLD) : canaryReadyThreshold;
  }

  /** The weights this analysis walks through: {@code stepWeights}, else stepWeight, 2*stepWeight, ... up to maxWeight. */
  public List<Integer> weights() {
    if (stepWeights != null && !stepWeights.isEmpty()) {
      return List.copyOf(stepWeights);
    }
    int step = stepWeight == null ? Integer.parseInt(DEFAULT_STEP_WEIGHT) : stepWeight;
    int max = maxWeight == null ? Integer.parseInt(DEFAULT_MAX_WEIGHT) : maxWeight;
    List<Integer> out = new ArrayList<>();
    for (int w = step; w < max; w += step) {
      out.add(w);
    }
    out.add(max);
    return out;
  }
}
