package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** How often to check, how many failures to tolerate, and how the weight moves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.stepWeight) || !has(self.maxWeight) || self.stepWeight <= self.maxWeight",
    message = "analysis.stepWeight must not exceed analysis.maxWeight")
public class AnalysisSpec {
  @Default("30s")
  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) >= duration('1s')",
      message = "analysis.interval must be at least 1s (a duration such as 30s or 1m)")
  public String interval;

  @Default("5")
  @Min(1)
  public Integer threshold;

  @Default("10")
  @Min(1)
  @Max(100)
  public Integer stepWeight;

  @Default("50")
  @Min(1)
  @Max(100)
  public Integer maxWeight;

  @Size(max = 20)
  @ValidationRule(value = "self.all(w, w >= 1 && w <= 100)", message = "analysis.stepWeights must each be between 1 and 100")
  @ValidationRule(value = "self.isSorted() && self.all(w, self.filter(x, x == w).size() == 1)",
      message = "analysis.stepWeights must be strictly ascending, e.g. [5, 10, 25, 50]")
  public List<Integer> stepWeights;

  @Default("5")
  @Min(1)
  public Integer iterations;

  /** Early promotion by comparison checks never happens below this canary weight. Unset: at any weight. */
  @Min(1)
  @Max(100)
  public Integer minWeight;

  /** Early promotion by comparison checks never happens before the canary has been analysed this long. */
  @Pattern(Durations.PATTERN)
  public String minDuration;

  public MetricsObserverKind metricsObserver;

  @Pattern("^https?://[^\\s]+$")
  public String metricsServer;

  @Size(max = 20)
  public List<MetricCheck> metrics = new ArrayList<>();

  /** The weights this analysis walks through: {@code stepWeights}, else stepWeight, 2*stepWeight, ... up to maxWeight. */
  public List<Integer> weights() {
    if (stepWeights != null && !stepWeights.isEmpty()) {
      return List.copyOf(stepWeights);
    }
    int step = stepWeight == null ? 10 : stepWeight;
    int max = maxWeight == null ? 50 : maxWeight;
    List<Integer> out = new ArrayList<>();
    for (int w = step; w < max; w += step) {
      out.add(w);
    }
    out.add(max);
    return out;
  }
}
