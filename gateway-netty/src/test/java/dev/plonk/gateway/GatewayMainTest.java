package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plonk.main.FlagConventions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Flags that decide safety (auth is on unless turned off explicitly, and on without credentials refuses to start),
 * and the flag conventions shared with the other mains.
 */
class GatewayMainTest {

  private static GatewayConfig parse(String... args) {
    GatewayMain main = new GatewayMain();
    new CommandLine(main).parseArgs(args);
    return main.config();
  }

  @Test
  void basicAuthIsOnByDefaultAndOffOnlyWhenAsked() {
    assertThat(parse().basicAuth()).isTrue();
    assertThat(parse("--basic-auth=false").basicAuth()).isFalse();
    assertThat(parse("--no-basic-auth").basicAuth()).isFalse();
  }

  @Test
  void authWithoutCredentialsRefusesToStart() {
    assertThatThrownBy(() -> GatewayMain.start("--port=0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no --secret-dir").hasMessageContaining("--basic-auth=false");
  }

  @Test
  void helpNamesEveryFlagsEnvironmentVariableAndTheFlagsFollowTheConventions() {
    CommandLine command = new CommandLine(new GatewayMain());
    assertThat(FlagConventions.problems(command, "PLONK_GATEWAY_")).isEmpty();
    StringWriter out = new StringWriter();
    command.setOut(new PrintWriter(out, true));
    assertThat(command.execute("--help")).isZero();
    assertThat(out.toString()).contains("--bind", "Default: 127.0.0.1", "--port", "--read-timeout", "Default: 30s",
        "PLONK_GATEWAY_READ_TIMEOUT", "--routing", "PLONK_GATEWAY_ROUTING").doesNotContain("--mesh-port", "PT30S");
  }

  @Test
  void durationsAreWrittenTheGoWay() {
    GatewayConfig config = parse("--read-timeout=1m30s", "--connect-timeout=500ms", "--tls-reload-interval=2s");
    assertThat(config.limits().readTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.limits().connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.limits().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.tls().reloadInterval()).isEqualTo(Duration.ofSeconds(2));
  }
}
