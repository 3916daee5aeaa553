package dev.plonk.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed CRD in crds/generated must be exactly what the crd-generator makes of the model today. */
class CrdDriftTest {
  static final String FILE = "rollouts.plonk.dev-v1.yml";

  @Test
  void committedCrdMatchesTheModel(@TempDir Path out) throws Exception {
    new CRDGenerator().inOutputDir(out.toFile()).forCRDVersions("v1").customResourceClasses(Rollout.class).generate();
    String generated = Files.readString(out.resolve(FILE));
    Path committed = committedDir().resolve(FILE);
    assertThat(committed).as("the committed CRD %s is missing", committed).exists();
    assertThat(Files.readString(committed))
        .as("crds/generated/%s drifted from the Java model: run `./mvnw -pl crds process-classes` and copy "
            + "crds/target/classes/META-INF/fabric8/%s to crds/generated/", FILE, FILE)
        .isEqualTo(generated);
  }

  @Test
  void defaultWeightsWalkToMaxWeight() {
    AnalysisSpec analysis = new AnalysisSpec();
    assertThat(analysis.weights()).containsExactly(10, 20, 30, 40, 50);
    analysis.stepWeight = 20;
    analysis.maxWeight = 50;
    assertThat(analysis.weights()).containsExactly(20, 40, 50);
    analysis.stepWeights = java.util.List.of(5, 25, 75);
    assertThat(analysis.weights()).containsExactly(5, 25, 75);
  }

  @Test
  void durationsParseGoStyle() {
    assertThat(Durations.parse("1m30s")).hasSeconds(90);
    assertThat(Durations.parse("500ms")).hasMillis(500);
    assertThat(Durations.promql(Durations.parse("2s"))).isEqualTo("2s");
    assertThat(Durations.promql(Durations.parse("1500ms"))).isEqualTo("1500ms");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Durations.parse("5 minutes"))
        .hasMessageContaining("expected e.g. 500ms");
  }

  static Path committedDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("crds/generated"))) {
        return p.resolve("crds/generated");
      }
      if (p.getFileName() != null && p.getFileName().toString().equals("crds") && Files.isDirectory(p.resolve("generated"))) {
        return p.resolve("generated");
      }
    }
    throw new IllegalStateException("cannot find crds/generated above " + Path.of("").toAbsolutePath());
  }
}
