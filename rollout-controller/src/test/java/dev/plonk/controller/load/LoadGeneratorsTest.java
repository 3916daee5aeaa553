package dev.plonk.controller.load;

import static dev.plonk.controller.load.LoadPlanTest.phase;
import static dev.plonk.controller.load.LoadPlanTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.LoadSpec;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.controller.analysis.DecisionEvent;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The generators' life cycle as the reconciler drives it. The gateway address is a closed loopback port: requests
 * fail fast and are counted, nothing leaves the machine.
 */
class LoadGeneratorsTest {
  private static final String CLOSED = "http://127.0.0.1:9";
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private static List<String> reasons(List<DecisionEvent> events) {
    return events.stream().map(DecisionEvent::reason).toList();
  }

  @Test
  void startsWithTheAnalysisRenewsQuietlyRestartsOnAnEditAndStopsWhenItEnds() {
    try (LoadGenerators load = new LoadGenerators(new LoadSettings(CLOSED, "Basic x", Duration.ofHours(1)),
        new LoadMetrics(registry))) {
      RolloutSpec spec = spec(new LoadSpec());
      assertThat(reasons(load.reconcile("ns", "ro", spec, phase(Phase.Waiting)))).isEmpty();
      List<DecisionEvent> started = load.reconcile("ns", "ro", spec, phase(Phase.Progressing));
      assertThat(reasons(started)).containsExactly("LoadStarted");
      assertThat(started.get(0).message()).contains("10/s GET /");
      assertThat(load.running("ns", "ro")).isTrue();
      assertThat(load.reconcile("ns", "ro", spec, phase(Phase.Progressing))).as("renewed, nothing to say").isEmpty();

      spec.analysis.load.rate = 20;
      assertThat(reasons(load.reconcile("ns", "ro", spec, phase(Phase.Progressing))))
          .containsExactly("LoadStopped", "LoadStarted");

      List<DecisionEvent> stopped = load.reconcile("ns", "ro", spec, phase(Phase.Promoting));
      assertThat(reasons(stopped)).containsExactly("LoadStopped");
      assertThat(stopped.get(0).message()).contains("the analysis ended (phase Promoting)", "requests sent");
      assertThat(load.running("ns", "ro")).isFalse();
      assertThat(load.reconcile("ns", "ro", spec, phase(Phase.Succeeded))).isEmpty();
      assertThat(gauge()).contains("plonk_rollout_load_active{name=\"ro\",namespace=\"ns\"} 0.0");
    }
  }

  @Test
  void pauseSuspendAndDeletionStopIt() {
    try (LoadGenerators load = new LoadGenerators(new LoadSettings(CLOSED, null, Duration.ofHours(1)),
        new LoadMetrics(registry))) {
      RolloutSpec spec = spec(new LoadSpec());
      load.reconcile("ns", "ro", spec, phase(Phase.Progressing));
      spec.paused = true;
      List<DecisionEvent> paused = load.reconcile("ns", "ro", spec, phase(Phase.Progressing));
      assertThat(paused).singleElement().satisfies(e -> assertThat(e.message()).contains("the rollout is paused"));
      spec.paused = false;
      assertThat(reasons(load.reconcile("ns", "ro", spec, phase(Phase.Progressing)))).containsExactly("LoadStarted");
      assertThat(load.stop("ns", "ro", "the Rollout is being deleted")).singleElement()
          .satisfies(e -> assertThat(e.message()).contains("being deleted"));
      assertThat(load.stop("ns", "ro", "again")).isEmpty();
    }
  }

  @Test
  void withoutAGatewayItWarnsOnceAndNeverPretends() {
    try (LoadGenerators load = new LoadGenerators(LoadSettings.none(), new LoadMetrics(registry))) {
      RolloutSpec spec = spec(new LoadSpec());
      List<DecisionEvent> first = load.reconcile("ns", "ro", spec, phase(Phase.Progressing));
      assertThat(first).singleElement().satisfies(e -> {
        assertThat(e.warning()).isTrue();
        assertThat(e.reason()).isEqualTo("LoadUnavailable");
        assertThat(e.message()).contains("--gateway-url");
      });
      assertThat(load.reconcile("ns", "ro", spec, phase(Phase.Progressing))).isEmpty();
      assertThat(load.running("ns", "ro")).isFalse();
    }
  }

  @Test
  void aGeneratorNoLongerRenewedStopsByItself() throws InterruptedException {
    AtomicLong now = new AtomicLong();
    try (LoadGenerators load = new LoadGenerators(new LoadSettings(CLOSED, null, Duration.ofHours(1)),
        new LoadMetrics(registry), now::get)) {
      RolloutSpec spec = spec(new LoadSpec());
      load.reconcile("ns", "ro", spec, phase(Phase.Progressing));
      now.addAndGet(LoadGenerators.lease(spec).plusSeconds(1).toNanos());
      awaitStopped(load);
      List<DecisionEvent> restarted = load.reconcile("ns", "ro", spec, phase(Phase.Progressing));
      assertThat(reasons(restarted)).containsExactly("LoadStopped", "LoadStarted");
      assertThat(restarted.get(0).message()).contains("its lease ran out");
    }
  }

  @Test
  void theMaxDurationIsFinal() throws InterruptedException {
    AtomicLong now = new AtomicLong();
    try (LoadGenerators load = new LoadGenerators(new LoadSettings(CLOSED, null, Duration.ofMinutes(1)),
        new LoadMetrics(registry), now::get)) {
      RolloutSpec spec = spec(new LoadSpec());
      load.reconcile("ns", "ro", spec, phase(Phase.Progressing));
      for (int i = 0; i < 3; i++) {
        now.addAndGet(Duration.ofSeconds(25).toNanos());
        load.reconcile("ns", "ro", spec, phase(Phase.Progressing));
      }
      awaitStopped(load);
      assertThat(load.reconcile("ns", "ro", spec, phase(Phase.Progressing))).as("not restarted").isEmpty();
      assertThat(load.stop("ns", "ro", "ended")).singleElement()
          .satisfies(e -> assertThat(e.message()).contains("--load-max-duration"));
    }
  }

  @Test
  void leaseIsThreeIntervalsAndAtLeast30Seconds() {
    RolloutSpec spec = spec(new LoadSpec());
    spec.analysis.interval = "2s";
    assertThat(LoadGenerators.lease(spec)).hasSeconds(30);
    spec.analysis.interval = "1m";
    assertThat(LoadGenerators.lease(spec)).hasSeconds(180);
  }

  /** Bounded: the generator checks its lease every 100 ms; a stopped generator stays stopped. */
  private static void awaitStopped(LoadGenerators load) throws InterruptedException {
    for (int i = 0; i < 100 && load.running("ns", "ro"); i++) {
      Thread.sleep(50);
    }
    assertThat(load.running("ns", "ro")).as("stopped within 5 s").isFalse();
  }

  private String gauge() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
