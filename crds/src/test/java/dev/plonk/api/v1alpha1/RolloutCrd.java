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
 * The one way the Rollout CRD is generated: fabric8's crd-generator, plus its post-processor hook to keep the printer
 * columns in the order they are declared on {@link Rollout} (the generator sorts them by JSON path, which would print
 * Age first). {@link CrdDriftTest} compares the result with {@code crds/generated} and rewrites it on request.
 */
final class RolloutCrd {
  static final String FILE = "rollouts.plonk.dev-v1.yml";

  private RolloutCrd() {}

  /** Generates the CRD into {@code dir} and returns its text. */
  static String generate(Path dir) throws IOException {
    new CRDGenerator().inOutputDir(dir.toFile()).forCRDVersions("v1").withPostProcessor(new DeclaredColumnOrder())
        .customResourceClasses(Rollout.class).generate();
    return Files.readString(dir.resolve(FILE));
  }

  /** The printer column names in the order {@link Rollout} declares them. */
  static List<String> declaredColumns() {
    return Arrays.stream(Rollout.class.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
  }

  private static final class DeclaredColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      List<String> order = declaredColumns();
      ((CustomResourceDefinition) crd).getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
          .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> order.indexOf(c.getName()))));
      return crd;
    }
  }
}
