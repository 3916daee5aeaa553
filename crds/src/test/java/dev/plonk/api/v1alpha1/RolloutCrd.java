package dev.plonk.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The one way the CRDs are generated: fabric8's crd-generator, plus its post-processor hook to keep the printer
 * columns in the order they are declared on {@link Rollout} (the generator sorts them by JSON path, which would print
 * Age first). {@link CrdDriftTest} compares the result with {@code crds/generated} and rewrites it on request.
 */
final class RolloutCrd {
  static final String FILE = "rollouts.plonk.dev-v1.yml";
  /** Every CRD of the API and its file in {@code crds/generated}. */
  static final java.util.Map<Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>>, String> FILES =
      java.util.Map.of(Rollout.class, FILE, MetricTemplate.class, "metrictemplates.plonk.dev-v1.yml",
          AlertProvider.class, "alertproviders.plonk.dev-v1.yml");

  private RolloutCrd() {}

  /** Generates every CRD into {@code dir}; returns the text of {@code file}. */
  static String generate(Path dir, String file) throws IOException {
    new CRDGenerator().inOutputDir(dir.toFile()).forCRDVersions("v1").withPostProcessor(new DeclaredColumnOrder())
        .customResourceClasses(FILES.keySet().toArray(Class[]::new)).generate();
    return Files.readString(dir.resolve(file));
  }

  /** The printer column names in the order {@code kind} declares them. */
  static List<String> declaredColumns(Class<?> kind) {
    return Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
  }

  private static final class DeclaredColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      Class<?> kind = FILES.keySet().stream()
          .filter(k -> HasMetadata.getPlural(k).equals(((CustomResourceDefinition) crd).getSpec().getNames().getPlural()))
          .findFirst().orElseThrow();
      List<String> order = declaredColumns(kind);
      ((CustomResourceDefinition) crd).getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
          .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> order.indexOf(c.getName()))));
      return crd;
    }
  }
}
