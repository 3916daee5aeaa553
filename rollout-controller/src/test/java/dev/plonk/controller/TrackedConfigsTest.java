package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.TrackedConfig;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackedConfigsTest {

  static PodTemplateSpec template() {
    return new PodTemplateSpecBuilder().withNewSpec()
        .addNewInitContainer().withName("init").addNewEnvFrom().withNewSecretRef().withName("init-secret").endSecretRef()
        .endEnvFrom().endInitContainer()
        .addNewContainer().withName("fn")
        .addNewEnv().withName("A").withNewValueFrom().withNewConfigMapKeyRef().withName("env-cm").withKey("a")
        .endConfigMapKeyRef().endValueFrom().endEnv()
        .addNewEnv().withName("B").withNewValueFrom().withNewSecretKeyRef().withName("env-secret").withKey("b")
        .endSecretKeyRef().endValueFrom().endEnv()
        .addNewEnvFrom().withNewConfigMapRef().withName("envfrom-cm").endConfigMapRef().endEnvFrom()
        .endContainer()
        .addNewVolume().withName("v1").withNewConfigMap().withName("vol-cm").endConfigMap().endVolume()
        .addNewVolume().withName("v2").withNewSecret().withSecretName("vol-secret").endSecret().endVolume()
        .addNewVolume().withName("v3").withNewProjected().addNewSource().withNewConfigMap().withName("proj-cm")
        .endConfigMap().endSource().endProjected().endVolume()
        .endSpec().build();
  }

  @Test
  void everyReferenceIsFound() {
    assertThat(TrackedConfigs.refs(template())).containsExactly("ConfigMap/env-cm", "ConfigMap/envfrom-cm",
        "ConfigMap/proj-cm", "ConfigMap/vol-cm", "Secret/env-secret", "Secret/init-secret", "Secret/vol-secret");
  }

  @Test
  void thePrimaryRefersToItsOwnCopyOfEachContent() {
    PodTemplateSpec t = template();
    List<TrackedConfig> revision = TrackedConfigs.refs(t).stream().filter(r -> !r.endsWith("/init-secret"))
        .map(r -> new TrackedConfig(r.substring(0, r.indexOf('/')), r.substring(r.indexOf('/') + 1),
            TrackedConfigs.sha(r))).toList();
    TrackedConfigs.renameForPrimary(t.getSpec(), revision);
    List<String> expected = new java.util.ArrayList<>(revision.stream().map(c -> c.kind + "/" + c.name + "-primary-"
        + TrackedConfigs.sha(c.kind + "/" + c.name).substring(0, 10)).toList());
    expected.add("Secret/init-secret-primary");
    assertThat(TrackedConfigs.refs(t)).as("a config that does not exist (not in the revision) gets no content suffix")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void theRevisionChangesWithTheDataOnly() {
    var a = new ConfigMapBuilder().withNewMetadata().withName("c").withResourceVersion("1").endMetadata()
        .addToData("k", "v1").build();
    var sameData = new ConfigMapBuilder(a).editMetadata().withResourceVersion("2").endMetadata().build();
    var changed = new ConfigMapBuilder(a).addToData("k", "v2").build();
    assertThat(TrackedConfigs.checksum(sameData)).isEqualTo(TrackedConfigs.checksum(a));
    assertThat(TrackedConfigs.checksum(changed)).isNotEqualTo(TrackedConfigs.checksum(a));
    assertThat(TrackedConfigs.revision("abc", List.of())).as("no configs: the template hash, as before").isEqualTo("abc");
    assertThat(TrackedConfigs.revision("abc", List.of(new TrackedConfig("ConfigMap", "c", TrackedConfigs.checksum(a)))))
        .isNotEqualTo(TrackedConfigs.revision("abc", List.of(new TrackedConfig("ConfigMap", "c",
            TrackedConfigs.checksum(changed)))));
  }
}
