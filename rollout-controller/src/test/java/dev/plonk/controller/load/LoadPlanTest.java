package dev.plonk.controller.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.AnalysisSpec;
import dev.plonk.api.v1alpha1.LoadSpec;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.ServiceSpec;
import dev.plonk.api.v1alpha1.TargetRef;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadPlanTest {
  static RolloutSpec spec(LoadSpec load) {
    RolloutSpec spec = new RolloutSpec();
    spec.targetRef = new TargetRef("Deployment", "echo");
    spec.service = new ServiceSpec(8080);
    spec.analysis = new AnalysisSpec();
    spec.analysis.load = load;
    return spec;
  }

  static RolloutStatus phase(Phase phase) {
    RolloutStatus status = new RolloutStatus();
    status.phase = phase;
    return status;
  }

  @Test
  void targetsTheGatewayCanaryPathOfTheApexWithTheSpecsRequest() {
    LoadSpec load = new LoadSpec();
    load.method = "POST";
    load.path = "/orders?id=7";
    load.body = "{\"n\":1}";
    load.headers = Map.of("Content-Type", "application/json");
    load.rate = 40;
    LoadPlan plan = LoadPlan.of("team-a", "ro", spec(load), "http://gateway.plonk-system:8080/");
    assertThat(plan.uri()).hasToString("http://gateway.plonk-system:8080/system/canary/echo.team-a/orders?id=7");
    assertThat(plan.describe()).isEqualTo("40/s POST /orders?id=7 (concurrency 4, timeout 5000ms)");
    HttpRequest request = plan.request("Basic abc");
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.timeout()).contains(Duration.ofSeconds(5));
    assertThat(request.headers().firstValue("Authorization")).contains("Basic abc");
    assertThat(request.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(request.headers().firstValue(LoadPlan.MARK_HEADER)).contains("team-a/ro");
    assertThat(request.bodyPublisher().orElseThrow().contentLength()).isEqualTo(7);
  }

  @Test
  void defaultsAreAGetOfTheRootAtTenPerSecond() {
    LoadPlan plan = LoadPlan.of("ns", "ro", spec(new LoadSpec()), "http://127.0.0.1:8080");
    assertThat(plan.uri()).hasToString("http://127.0.0.1:8080/system/canary/echo.ns/");
    assertThat(plan.describe()).isEqualTo("10/s GET / (concurrency 4, timeout 5000ms)");
    assertThat(plan).isEqualTo(LoadPlan.of("ns", "ro", spec(new LoadSpec()), "http://127.0.0.1:8080"));
  }

  @Test
  void wantedOnlyWhileTheCanaryIsAnalysed() {
    RolloutSpec spec = spec(new LoadSpec());
    assertThat(LoadPlan.wanted(spec, phase(Phase.Progressing))).isTrue();
    assertThat(LoadPlan.wanted(spec, phase(Phase.WaitingPromotion))).as("checks still run behind a confirm-promotion "
        + "gate").isTrue();
    for (Phase p : new Phase[] {Phase.Waiting, Phase.Promoting, Phase.Finalising, Phase.Succeeded, Phase.Failed,
        Phase.Initialized}) {
      assertThat(LoadPlan.wanted(spec, phase(p))).as("phase %s", p).isFalse();
    }
    spec.paused = true;
    assertThat(LoadPlan.wanted(spec, phase(Phase.Progressing))).as("paused").isFalse();
    spec.paused = false;
    spec.skipAnalysis = true;
    assertThat(LoadPlan.wanted(spec, phase(Phase.Progressing))).as("skipAnalysis").isFalse();
    assertThat(LoadPlan.wanted(spec(null), phase(Phase.Progressing))).as("not asked for").isFalse();
  }
}
