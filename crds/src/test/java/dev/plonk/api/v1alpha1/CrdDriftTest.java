package dev.plonk.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed CRD in crds/generated must be exactly what {@link RolloutCrd} makes of the model today. To regenerate
 * it after a model change: {@code ./mvnw -B -q -pl crds test -Dtest=CrdDriftTest -Dplonk.crds.write=true}.
 */
class CrdDriftTest {

  @Test
  void committedCrdsMatchTheModel(@TempDir Path out) throws Exception {
    for (String file : RolloutCrd.FILES.values()) {
      String generated = RolloutCrd.generate(out, file);
      Path committed = committedDir().resolve(file);
      if (Boolean.getBoolean("plonk.crds.write")) {
        Files.writeString(committed, generated);
      }
      assertThat(committed).as("the committed CRD %s is missing", committed).exists();
      assertThat(Files.readString(committed))
          .as("crds/generated/%s drifted from the Java model: run `./mvnw -B -q -pl crds test -Dtest=CrdDriftTest "
              + "-Dplonk.crds.write=true` and commit the result", file)
          .isEqualTo(generated);
    }
  }

  @Test
  void printerColumnsReadLikeFlaggerAndArgo() throws Exception {
    CustomResourceDefinition crd = committed();
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(c -> c.getName()).containsExactly("Phase", "Weight", "Failed", "Strategy", "Age", "Message");
  }

  @Test
  void everySpecAndStatusFieldIsDescribed() throws Exception {
    JSONSchemaProps root = committed().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    List<String> undescribed = new ArrayList<>();
    for (String top : List.of("spec", "status")) {
      undescribedFields(top, root.getProperties().get(top), undescribed);
    }
    JSONSchemaProps template = committed("metrictemplates.plonk.dev-v1.yml").getSpec().getVersions().get(0).getSchema()
        .getOpenAPIV3Schema();
    undescribedFields("metrictemplate.spec", template.getProperties().get("spec"), undescribed);
    JSONSchemaProps provider = committed("alertproviders.plonk.dev-v1.yml").getSpec().getVersions().get(0).getSchema()
        .getOpenAPIV3Schema();
    undescribedFields("alertprovider.spec", provider.getProperties().get("spec"), undescribed);
    assertThat(undescribed).as("fields without a description (kubectl explain prints only their type)").isEmpty();
  }

  private static void undescribedFields(String path, JSONSchemaProps schema, List<String> out) {
    JSONSchemaProps object = schema.getItems() != null && schema.getItems().getSchema() != null
        ? schema.getItems().getSchema() : schema;
    if (object.getProperties() == null) {
      return;
    }
    for (Map.Entry<String, JSONSchemaProps> e : object.getProperties().entrySet()) {
      String child = path + "." + e.getKey();
      if (e.getValue().getDescription() == null || e.getValue().getDescription().isBlank()) {
        out.add(child);
      }
      if (!child.startsWith("status.conditions")) {
        undescribedFields(child, e.getValue(), out);
      }
    }
  }

  @Test
  void defaultsLiveOnTheModel() {
    AnalysisSpec analysis = new AnalysisSpec();
    assertThat(analysis.intervalDuration()).hasSeconds(30);
    assertThat(analysis.thresholdOrDefault()).isEqualTo(5);
    assertThat(analysis.iterationsOrDefault()).isEqualTo(5);
    assertThat(analysis.canaryReadyThresholdOrDefault()).isEqualTo(100);
    LoadSpec load = new LoadSpec();
    assertThat(load.rateOrDefault()).isEqualTo(10);
    assertThat(load.concurrencyOrDefault()).isEqualTo(4);
    assertThat(load.methodOrDefault()).isEqualTo("GET");
    assertThat(load.pathOrDefault()).isEqualTo("/");
    assertThat(load.timeoutDuration()).hasSeconds(5);
    assertThat(new TemplateRef("t", null).namespaceOr("team-a")).isEqualTo("team-a");
    assertThat(new TemplateRef("t", "shared").namespaceOr("team-a")).isEqualTo("shared");
    RolloutSpec spec = new RolloutSpec();
    assertThat(spec.progressDeadline()).hasSeconds(600);
    assertThat(spec.providerOr(Provider.SMI)).isEqualTo(Provider.SMI);
    assertThat(spec.revertOnDeletionOrFalse()).isFalse();
    MetricCheck check = new MetricCheck(MetricCheck.SUCCESS_RATE, new ThresholdRange(99.0, null));
    assertThat(check.windowOr(analysis.intervalDuration())).hasSeconds(30);
    check.interval = "1m";
    assertThat(check.windowOr(analysis.intervalDuration())).hasSeconds(60);
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

  private static CustomResourceDefinition committed() throws Exception {
    return committed(RolloutCrd.FILE);
  }

  private static CustomResourceDefinition committed(String file) throws Exception {
    return Serialization.unmarshal(Files.readString(committedDir().resolve(file)), CustomResourceDefinition.class);
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
