package dev.plonk.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.main.FlagConventions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class QueueWorkerMainTest {
  @Test
  void helpNamesEveryFlagsEnvironmentVariableAndTheFlagsFollowTheConventions() {
    CommandLine command = new CommandLine(new QueueWorkerMain());
    assertThat(FlagConventions.problems(command, "PLONK_QUEUE_")).isEmpty();
    StringWriter out = new StringWriter();
    command.setOut(new PrintWriter(out, true));
    assertThat(command.execute("--help")).isZero();
    assertThat(out.toString()).contains("--nats-url", "PLONK_QUEUE_NATS_URL", "--gateway-url", "PLONK_QUEUE_GATEWAY_URL",
        "--bind", "Default: 127.0.0.1", "--port", "--ack-wait", "Default: 30s");
  }

  @Test
  void defaultsMatchTheIssue() {
    QueueWorkerMain main = new QueueWorkerMain();
    new CommandLine(main).parseArgs("--gateway-url", "http://127.0.0.1:8080");
    WorkerSettings settings = main.settings();
    assertThat(settings.maxInflight()).isEqualTo(16);
    assertThat(settings.perFunctionInflight()).isZero();
    assertThat(settings.retry()).isEqualTo(RetryPolicy.DEFAULT);
    assertThat(settings.retry().codes()).isEqualTo(Set.of(408, 429, 500, 502, 503, 504));
    assertThat(settings.consumer()).isEqualTo("plonk-queue-worker");
    assertThat(settings.subjectFilter()).isEqualTo("plonk.calls.>");
    assertThat(settings.ackWait()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void flagsTakeGoDurationsAndCodeLists() {
    QueueWorkerMain main = new QueueWorkerMain();
    new CommandLine(main).parseArgs("--retry-attempts", "3", "--retry-codes", "429,503", "--retry-min-wait", "250ms",
        "--retry-max-wait", "2m", "--max-inflight", "4", "--max-inflight-per-function", "2");
    WorkerSettings settings = main.settings();
    assertThat(settings.retry()).isEqualTo(new RetryPolicy(3, Set.of(429, 503), Duration.ofMillis(250),
        Duration.ofMinutes(2)));
    assertThat(settings.perFunctionInflight()).isEqualTo(2);
  }

  @Test
  void badSettingsExitWith2AndSayWhatToFix() {
    assertThat(run("--subject-filter", "orders.>")).contains("--subject-filter must be within plonk.calls.>");
    assertThat(run("--max-inflight", "64", "--max-ack-pending", "10")).contains("--max-ack-pending (10) must be at least");
    assertThat(run("--gateway-secret-dir", "/nonexistent")).contains("basic-auth-user");
    assertThat(run("--retry-max-wait", "soon")).contains("'soon' is not a duration");
  }

  @Test
  void anUnreachableNatsServerIsExplained() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    assertThat(run("--nats-url", "nats://127.0.0.1:" + closedPort, "--port", "0"))
        .contains("cannot use NATS JetStream at nats://127.0.0.1:" + closedPort, "Start nats-server");
  }

  private static String run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new QueueWorkerMain()).setErr(new PrintWriter(err, true));
    int code = command.execute(args);
    assertThat(code).isNotZero();
    return err.toString();
  }
}
