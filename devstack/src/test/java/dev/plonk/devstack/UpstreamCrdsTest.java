package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UpstreamCrdsTest {
  @Test
  void theModuleFolderIsReadFromGoModDownloadJson() {
    String json = "{\n\t\"Path\": \"sigs.k8s.io/gateway-api\",\n\t\"Version\": \"v1.4.1\",\n"
        + "\t\"Dir\": \"gomodcache/sigs.k8s.io/gateway-api@v1.4.1\"\n}";
    assertThat(UpstreamCrds.moduleDir(json, "m@v")).isEqualTo("gomodcache/sigs.k8s.io/gateway-api@v1.4.1");
  }

  @Test
  void theMeshCrdsAreThePinnedCopiesInTheCheckout() {
    assertThat(UpstreamCrds.meshCrds()).isEqualTo(ProjectLayout.root().resolve("mesh-integration/src/main/upstream-crds"));
    assertThat(UpstreamCrds.meshCrds().resolve("smi-trafficsplit.yaml")).isRegularFile();
  }

  @Test
  void outputWithoutADirSaysWhatWasPrinted() {
    assertThatThrownBy(() -> UpstreamCrds.moduleDir("{\"Error\": \"unknown revision v9\"}", "m@v9"))
        .hasMessageContaining("printed no Dir").hasMessageContaining("unknown revision v9");
    assertThatThrownBy(() -> UpstreamCrds.moduleDir("go: not json", "m@v9")).hasMessageContaining("printed no JSON");
  }
}
