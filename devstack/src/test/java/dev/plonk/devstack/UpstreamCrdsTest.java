package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamCrdsTest {
  @Test
  void theModuleFolderIsReadFromGoModDownloadJson() {
    String json = "{\n\t\"Path\": \"sigs.k8s.io/gateway-api\",\n\t\"Version\": \"v1.4.1\",\n"
        + "\t\"Dir\": \"gomodcache/sigs.k8s.io/gateway-api@v1.4.1\"\n}";
    assertThat(UpstreamCrds.moduleDir(json, "m@v")).isEqualTo("gomodcache/sigs.k8s.io/gateway-api@v1.4.1");
  }

  @Test
  void aWorktreeAlsoLooksBesideItsMainCheckout(@TempDir Path dir) throws Exception {
    Path main = Files.createDirectories(dir.resolve("team/main/.git/worktrees/mine"));
    Files.writeString(main.resolve("commondir"), "../..\n");
    Path worktree = Files.createDirectories(dir.resolve("wt/mine"));
    Files.writeString(worktree.resolve(".git"), "gitdir: " + main + "\n");
    assertThat(UpstreamCrds.besideCheckouts(worktree)).containsExactly(dir.resolve("wt"), dir.resolve("team"));

    Path clone = Files.createDirectories(dir.resolve("clone/plonk/.git"));
    assertThat(UpstreamCrds.besideCheckouts(clone.getParent())).containsExactly(dir.resolve("clone"));
  }

  @Test
  void outputWithoutADirSaysWhatWasPrinted() {
    assertThatThrownBy(() -> UpstreamCrds.moduleDir("{\"Error\": \"unknown revision v9\"}", "m@v9"))
        .hasMessageContaining("printed no Dir").hasMessageContaining("unknown revision v9");
    assertThatThrownBy(() -> UpstreamCrds.moduleDir("go: not json", "m@v9")).hasMessageContaining("printed no JSON");
  }
}
