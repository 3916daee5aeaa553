package dev.plonk.main;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class FlagConventionsTest {
  @Command(name = "good", mixinStandardHelpOptions = true)
  static final class Good {
    @Option(names = "--bind", defaultValue = "${env:PLONK_X_BIND:-127.0.0.1}", description = "(env PLONK_X_BIND)")
    String bind;
    @Option(names = "--port", defaultValue = "${env:PLONK_X_PORT:-8080}", description = "(env PLONK_X_PORT)")
    int port;
    @Option(names = "--read-timeout", defaultValue = "${env:PLONK_X_READ_TIMEOUT:-30s}",
        converter = GoDuration.Converter.class, description = "(env PLONK_X_READ_TIMEOUT)")
    Duration readTimeout;
    @Option(names = "--leader-election", negatable = true, defaultValue = "${env:PLONK_X_LEADER_ELECTION:-true}",
        description = "(env PLONK_X_LEADER_ELECTION)")
    boolean leaderElection;
  }

  @Command(name = "bad")
  static final class Bad {
    @Option(names = "--bind", defaultValue = "${env:PLONK_X_BIND:-0.0.0.0}", description = "(env PLONK_X_BIND)")
    String bind;
    @Option(names = "--metrics-port", defaultValue = "${env:METRICS_PORT:-8080}")
    int port;
    @Option(names = "--read-timeout", defaultValue = "${env:PLONK_X_READ_TIMEOUT:-PT30S}",
        description = "(env PLONK_X_READ_TIMEOUT)")
    Duration readTimeout;
  }

  @Test
  void aMainFollowingTheConventionsHasNoProblems() {
    assertThat(FlagConventions.problems(new CommandLine(new Good()), "PLONK_X_")).isEmpty();
  }

  @Test
  void everyBrokenConventionIsNamed() {
    assertThat(FlagConventions.problems(new CommandLine(new Bad()), "PLONK_X_")).containsExactlyInAnyOrder(
        "--metrics-port must fall back to the environment variable PLONK_X_METRICS_PORT, its default is "
            + "${env:METRICS_PORT:-8080}",
        "--help must name PLONK_X_METRICS_PORT for --metrics-port",
        "--read-timeout must take Go-style durations (converter = GoDuration.Converter.class)",
        "the listen address must be --bind, by default 127.0.0.1",
        "the port of /healthz and /metrics must be --port");
  }
}
