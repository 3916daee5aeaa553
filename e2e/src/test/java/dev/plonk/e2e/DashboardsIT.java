package dev.plonk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.ProjectLayout;
import dev.plonk.devstack.Prometheus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Grafana dashboard query is valid PromQL for a real Prometheus, and names only metrics that Plonk's code
 * exports — so a renamed metric breaks this test, not a user's dashboard.
 */
@DevStackTest(kubernetes = false, prometheus = true)
class DashboardsIT {
  private static final Pattern METRIC = Pattern.compile("\\b((?:plonk|gateway)_[a-z_]+)\\b");

  @TestFactory
  Stream<DynamicTest> everyPanelQueryIsValidAndKnown(Prometheus prometheus) throws IOException {
    Set<String> exported = exportedMetricNames();
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(ProjectLayout.root().resolve("dashboards/grafana"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
        assertThat(dashboard.path("uid").asText()).as(file + " uid").isNotBlank();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
          assertThat(ids.add(panel.path("id").asInt())).as("duplicate panel id in " + file).isTrue();
          for (JsonNode target : panel.path("targets")) {
            String expr = target.path("expr").asText();
            tests.add(DynamicTest.dynamicTest(file.getFileName() + " / " + panel.path("title").asText() + " / "
                + target.path("refId").asText(), () -> {
              prometheus.query(substitute(expr)); // throws with Prometheus' parse error if invalid
              Matcher m = METRIC.matcher(expr);
              while (m.find()) {
                String name = m.group(1);
                String series = name.replaceAll("_(bucket|sum|count)$", ""); // a histogram's series
                assertThat(exported.contains(name) || exported.contains(series))
                    .as("metric " + name + " in " + expr + " is exported by some module " + exported).isTrue();
              }
            }));
          }
        }
      }
    }
    assertThat(tests).hasSizeGreaterThan(10);
    return tests.stream();
  }

  private static String substitute(String expr) {
    return expr.replace("$__rate_interval", "1m").replace("$__range", "1h")
        .replace("$namespace", ".*").replace("$rollout", ".*");
  }

  /** Metric names registered in the main sources of every module (the string literals given to builders). */
  private static Set<String> exportedMetricNames() throws IOException {
    Set<String> names = new HashSet<>();
    Pattern literal = Pattern.compile("\\.name\\(\"((?:plonk|gateway)_[a-z_]+)\"\\)");
    try (Stream<Path> sources = Files.walk(ProjectLayout.root())) {
      sources.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")).forEach(p -> {
        try {
          Matcher m = literal.matcher(Files.readString(p));
          while (m.find()) {
            names.add(m.group(1));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return names;
  }
}
