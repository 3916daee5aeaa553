package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags that decide safety: auth is on unless turned off explicitly, and on without credentials refuses to start. */
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
}
