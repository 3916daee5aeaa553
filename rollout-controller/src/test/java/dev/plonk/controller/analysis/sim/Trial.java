package dev.plonk.controller.analysis.sim;

import dev.plonk.api.v1alpha1.MetricCheck;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.controller.analysis.AnalysisStateMachine;
import dev.plonk.controller.analysis.Cadence;
import dev.plonk.controller.analysis.Readiness;
import dev.plonk.controller.analysis.CheckOutcome;
import dev.plonk.controller.analysis.Decision;
import dev.plonk.controller.analysis.Observation;
import dev.plonk.controller.analysis.UserAction;
import dev.plonk.controller.analysis.compare.ErrorRateComparison;
import dev.plonk.controller.analysis.compare.LatencyComparison;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated rollout on the real, pure state machine: the interval's requests are split by the current weight and
 * drawn per request; fixed checks see the last interval, comparison checks everything since the analysis started.
 */
final class Trial {
  static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

  /** How it ended, seconds from the analysis start and from the canary's first traffic. */
  record Result(Phase end, long seconds, long secondsFromFirstTraffic) {}

  static Result run(RolloutSpec spec, Setting setting, long seed, long horizonSeconds) {
    SplittableRandom random = new SplittableRandom(seed);
    AnalysisStateMachine machine = new AnalysisStateMachine();
    long interval = java.time.Duration.parse("PT" + spec.analysis.interval.toUpperCase()).toSeconds();
    RolloutStatus status = machine.next(spec, null, 1, obs(T0, "v1", Cadence.of(spec, null, T0), null)).status();
    status = machine.next(spec, status, 1, obs(T0, "v2", Cadence.of(spec, status, T0), null)).status();
    status = machine.next(spec, status, 1, obs(T0, "v2", Cadence.of(spec, status, T0), null)).status();
    Traffic canarySoFar = new Traffic();
    Traffic primarySoFar = new Traffic();
    long firstTraffic = -1;
    for (long t = interval; t <= horizonSeconds; t += interval) {
      int weight = status.canaryWeight == null ? 0 : status.canaryWeight;
      if (weight > 0 && firstTraffic < 0) {
        firstTraffic = t - interval;
      }
      long total = Math.round(setting.rps() * interval);
      long toCanary = Traffic.canaryShare(random, total, weight);
      Traffic canary = new Traffic();
      Traffic primary = new Traffic();
      canary.serve(random, toCanary, setting.canaryErrors(), setting.canaryMedianMs(), setting.sigma());
      primary.serve(random, total - toCanary, setting.primaryErrors(), setting.primaryMedianMs(), setting.sigma());
      canarySoFar.add(canary);
      primarySoFar.add(primary);
      Instant now = T0.plusSeconds(t);
      Cadence cadence = Cadence.of(spec, status, now);
      List<CheckOutcome> checks = cadence.checksNeeded() ? checks(spec, canary, canarySoFar, primarySoFar) : null;
      Decision d = machine.next(spec, status, 1, obs(now, "v2", cadence, checks));
      status = d.status();
      if (status.phase == Phase.Failed || status.phase == Phase.Promoting) {
        return new Result(status.phase, t, firstTraffic < 0 ? -1 : t - firstTraffic);
      }
    }
    return new Result(Phase.Progressing, horizonSeconds, -1);
  }

  private static List<CheckOutcome> checks(RolloutSpec spec, Traffic lastInterval, Traffic canary, Traffic primary) {
    List<CheckOutcome> out = new ArrayList<>();
    for (MetricCheck check : spec.analysis.metrics) {
      boolean errors = MetricCheck.SUCCESS_RATE.equals(check.name);
      if (check.comparesWithPrimary()) {
        out.add(CheckOutcome.compared(check.name, errors
            ? new ErrorRateComparison(check.tolerance / 100, check.confidenceOrDefault())
                .compare(canary.counts(), primary.counts())
            : new LatencyComparison(check.tolerance / 100, check.confidenceOrDefault())
                .compare(canary.histogram(), primary.histogram())));
      } else if (lastInterval.requests == 0) {
        out.add(CheckOutcome.failed(check.name, check.thresholdRange, "no data"));
      } else {
        double value = errors ? 100.0 * (lastInterval.requests - lastInterval.errors) / lastInterval.requests
            : lastInterval.histogram().quantile(0.99);
        out.add(CheckOutcome.measured(check.name, value, check.thresholdRange));
      }
    }
    return out;
  }

  private static Observation obs(Instant now, String target, Cadence cadence, List<CheckOutcome> checks) {
    return new Observation(now, target, Readiness.READY, "v1", Readiness.READY, UserAction.NONE, cadence, checks);
  }
}
