package dev.plonk.e2e.mesh;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plonk.devstack.ProjectLayout;
import dev.plonk.e2e.Rollouts;
import dev.plonk.e2e.Traffic;
import dev.plonk.e2e.pods.Callbacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every panel of dashboards/grafana, queried on Plonk's Prometheus in mesh mode right after a canary was promoted under
 * traffic (a few async calls ran before): none is empty, and the Linkerd rows show the primary and the canary side by
 * side from the proxies' own series.
 */
@ExtendWith(OnMesh.class)
class DashboardsMeshIT {
  private static final String NAME = "echo-dash";

  @Test
  void noPanelIsEmptyInMeshMode(Mesh mesh) throws Exception {
    MeshRollouts.start(mesh, NAME, "gatewayapi", """
        interval: 5s
        threshold: 3
        stepWeight: 30
        maxWeight: 60
        metricsObserver: linkerd
        metrics:
        - name: request-success-rate
          interval: 10s
          thresholdRange: {min: 99}""");
    try (Traffic traffic = new Traffic(mesh.functionUrl(NAME));
        Callbacks callbacks = new Callbacks(mesh.cluster())) {
      Rollouts.await("v1 traffic", Duration.ofMinutes(2), () -> traffic.count("v1 200") > 50);
      // the async calls first: the queue's counters stay exported afterwards, while the canary's proxy series end
      // when it is scaled to 0 after promotion, so the panels are read right after the promotion
      callbacks.send(mesh.plonk().gatewayUrl(), NAME + "." + FUNCTIONS, "dash", 5);
      Rollouts.await("5 callbacks", Duration.ofMinutes(4), () -> callbacks.succeeded("dash").size() == 5);
      MeshRollouts.release(mesh, NAME, "v2", "0");
      Rollouts.await("Rollout " + NAME + " Succeeded", Duration.ofMinutes(5),
          () -> "Succeeded".equals(Rollouts.phase(mesh.client(), FUNCTIONS, NAME)));
    }
    Prometheus prometheus = Prometheus.of(mesh);
    // the last calls reach the panels' series one or two scrapes later
    List<String> empty = new ArrayList<>();
    try {
      Rollouts.await("data in every panel", Duration.ofMinutes(1), () -> emptyPanels(prometheus, false).isEmpty());
    } finally {
      empty.addAll(emptyPanels(prometheus, true));
    }
    assertThat(empty).as("panels with no data in mesh mode").isEmpty();
    MeshRollouts.delete(mesh, NAME);
  }

  /** The panels whose query returns no series; checks that the Linkerd panels show the primary and the canary. */
  private static List<String> emptyPanels(Prometheus prometheus, boolean print) {
    List<String> empty = new ArrayList<>();
    int queried = 0;
    for (Path file : dashboards()) {
      for (JsonNode panel : read(file).path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          String expr = target.path("expr").asText().replace("$__rate_interval", "2m").replace("$__range", "1h")
              .replace("$namespace", FUNCTIONS).replace("$rollout", NAME);
          JsonNode result = prometheus.query(expr);
          queried++;
          String where = file.getFileName() + " / " + panel.path("title").asText() + " / " + target.path("refId").asText();
          Set<String> versions = new TreeSet<>();
          result.forEach(series -> versions.add(series.path("metric").path("deployment").asText()));
          if (print) {
            System.err.printf("[e2e] panel %s: %d series %s%n", where, result.size(), expr.contains("deployment=~")
                ? versions : "");
          }
          if (result.isEmpty() || expr.contains("deployment=~") && !versions.containsAll(Set.of(NAME, NAME + "-primary"))) {
            empty.add(where + ": " + expr + (expr.contains("deployment=~") ? " (primary and canary expected, got "
                + versions + ")" : ""));
          }
        }
      }
    }
    assertThat(queried).isGreaterThan(10);
    return empty;
  }

  private static JsonNode read(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Path> dashboards() {
    try (Stream<Path> files = Files.list(ProjectLayout.root().resolve("dashboards/grafana"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
