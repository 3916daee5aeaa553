package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plonk.api.v1alpha1.MetricsObserverKind;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.main.FlagConventions;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RolloutControllerMainTest {
  @Test
  void helpDocumentsEveryFlagWithItsEnvironmentVariableAndDefault() {
    StringWriter out = new StringWriter();
    CommandLine cmd = new CommandLine(new RolloutControllerMain());
    cmd.setOut(new PrintWriter(out));
    assertThat(cmd.execute("--help")).isZero();
    assertThat(out.toString()).contains("--kubeconfig", "--namespaces", "--default-provider", "--metrics-server",
        "--bind", "--port", "--[no-]leader-election", "--lease-namespace", "PLONK_CONTROLLER_METRICS_SERVER",
        "default gatewayapi", "default 8086", "default 127.0.0.1", "default 5s");
    assertThat(FlagConventions.problems(cmd, "PLONK_CONTROLLER_")).isEmpty();
  }

  @Test
  void unknownDefaultsAreRefusedWithWhatIsExpected() {
    assertThat(RolloutControllerMain.parseProvider("smi")).isEqualTo(Provider.SMI);
    assertThat(RolloutControllerMain.parseObserver("linkerd")).isEqualTo(MetricsObserverKind.LINKERD);
    assertThatThrownBy(() -> RolloutControllerMain.parseProvider("istio"))
        .hasMessage("--default-provider istio is unknown: expected smi or gatewayapi");
  }

  @Test
  void loadGenerationNeedsABaseUrlAndTheGatewaysCredentials(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    RolloutControllerMain main = new RolloutControllerMain();
    new CommandLine(main).parseArgs();
    assertThat(main.loadSettings().configured()).as("no --gateway-url: no load generation").isFalse();
    new CommandLine(main).parseArgs("--gateway-url", "http://127.0.0.1:8080");
    assertThatThrownBy(main::loadSettings).hasMessageContaining("--gateway-url needs --gateway-secret-dir");
    new CommandLine(main).parseArgs("--gateway-url", "127.0.0.1:8080/x", "--gateway-secret-dir", dir.toString());
    assertThatThrownBy(main::loadSettings).hasMessageContaining("is not a base URL");
    java.nio.file.Files.writeString(dir.resolve("basic-auth-user"), "admin");
    java.nio.file.Files.writeString(dir.resolve("basic-auth-password"), "secret\n");
    new CommandLine(main).parseArgs("--gateway-url", "http://127.0.0.1:8080", "--gateway-secret-dir", dir.toString(),
        "--load-max-duration", "10m");
    assertThat(main.loadSettings().authorization()).isEqualTo("Basic YWRtaW46c2VjcmV0");
    assertThat(main.loadSettings().maxDuration()).hasMinutes(10);
  }
}
