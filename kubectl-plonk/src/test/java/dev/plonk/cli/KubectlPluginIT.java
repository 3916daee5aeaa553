package dev.plonk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.AnalysisResult;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl plonk} as users run it: the real kubectl binary discovers the plugin on the PATH and runs it against
 * the real apiserver. No controller runs here: the test writes the status a controller would, and checks what the
 * plugin shows and what its actions write.
 */
@DevStackTest
class KubectlPluginIT {

  @Test
  void getListAndWatchShowWhatTheRolloutRecords(KubernetesClient client, Kubernetes k8s, TestNamespace ns) throws Exception {
    Rollout rollout = createRollout(client, ns.name());
    writeStatus(client, rollout, Phase.Progressing, 40, new AnalysisResult("request-success-rate", 99.2, ">= 99", true,
        Instant.now().toString(), null));
    client.v1().events().inNamespace(ns.name()).resource(new EventBuilder().withNewMetadata().withName("echo.step")
        .endMetadata().withNewInvolvedObject().withApiVersion("plonk.dev/v1alpha1").withKind("Rollout").withName("echo")
        .withNamespace(ns.name()).endInvolvedObject().withType("Normal").withReason("Advanced")
        .withMessage("canary weight 20 -> 40: every check passed").withLastTimestamp(Instant.now().toString()).build())
        .create();

    Run get = plugin(k8s, "get", "rollout", "echo", "-n", ns.name());
    assertThat(get.output()).contains("Name:       echo", "◐ Progressing", "primary 60%   canary 40%",
        "request-success-rate  99.2", "✔ pass", "Advanced  canary weight 20 -> 40: every check passed");
    assertThat(plugin(k8s, "list", "-A").output()).containsPattern(ns.name() + " +echo +◐ Progressing +40% +0 +canary");
    assertThat(kubectl(k8s, "plugin", "list").output()).contains("kubectl-plonk");

    Process watch = start(k8s, "get", "rollout", "echo", "-n", ns.name(), "-w", "--timeout", "120s");
    try (BufferedReader out = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
      readUntil(out, "◐ Progressing");
      writeStatus(client, client.resources(Rollout.class).inNamespace(ns.name()).withName("echo").get(), Phase.Succeeded, 0);
      readUntil(out, "✔ Succeeded");
    } finally {
      watch.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void actionsWriteWhatTheControllerActsOn(KubernetesClient client, Kubernetes k8s, TestNamespace ns) {
    createRollout(client, ns.name());
    var echo = client.resources(Rollout.class).inNamespace(ns.name()).withName("echo");

    assertThat(plugin(k8s, "promote", "echo", "-n", ns.name()).output()).contains("promote requested");
    assertThat(echo.get().getMetadata().getAnnotations()).containsEntry(Rollout.ACTION_ANNOTATION, "promote");
    plugin(k8s, "abort", "echo", "-n", ns.name());
    assertThat(echo.get().getMetadata().getAnnotations()).containsEntry(Rollout.ACTION_ANNOTATION, "abort");
    plugin(k8s, "retry", "echo", "-n", ns.name());
    assertThat(echo.get().getMetadata().getAnnotations()).containsEntry(Rollout.ACTION_ANNOTATION, "retry");
    plugin(k8s, "pause", "echo", "-n", ns.name());
    assertThat(echo.get().getSpec().paused).isTrue();
    assertThat(plugin(k8s, "get", "echo", "-n", ns.name()).output()).contains("paused (kubectl plonk resume)");
    plugin(k8s, "resume", "echo", "-n", ns.name());
    assertThat(echo.get().getSpec().paused).isFalse();
  }

  @Test
  void mistakesGetAClearMessageAndExitCodeOne(Kubernetes k8s, TestNamespace ns) {
    Run missing = run(k8s, List.of("plonk", "promote", "nope", "-n", ns.name()));
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.output()).contains("error: rollout nope not found in namespace " + ns.name()
        + " (kubectl plonk list -A shows every rollout)");
    Run badKind = run(k8s, List.of("plonk", "get", "deployment", "echo", "-n", ns.name()));
    assertThat(badKind.exitCode()).isEqualTo(1);
    assertThat(badKind.output()).contains("unknown resource deployment: kubectl plonk get rollout NAME");
    assertThat(plugin(k8s, "list", "-n", ns.name()).output()).contains("No rollouts in namespace " + ns.name() + ".");
  }

  private static Rollout createRollout(KubernetesClient client, String ns) {
    Rollout rollout = client.getKubernetesSerialization().unmarshal("""
        apiVersion: plonk.dev/v1alpha1
        kind: Rollout
        metadata: {name: echo}
        spec:
          targetRef: {kind: Deployment, name: echo}
          service: {port: 8080}
          analysis: {interval: 10s, threshold: 2, stepWeight: 20, maxWeight: 60}
        """, Rollout.class);
    return client.resources(Rollout.class).inNamespace(ns).resource(rollout).create();
  }

  private static void writeStatus(KubernetesClient client, Rollout rollout, Phase phase, int weight, AnalysisResult... checks) {
    RolloutStatus status = new RolloutStatus();
    status.phase = phase;
    status.canaryWeight = weight;
    status.failedChecks = 0;
    status.lastAnalysis = List.of(checks);
    rollout.setStatus(status);
    client.resources(Rollout.class).inNamespace(rollout.getMetadata().getNamespace()).resource(rollout).updateStatus();
  }

  record Run(int exitCode, String output) {}

  private static Run plugin(Kubernetes k8s, String... args) {
    List<String> command = new ArrayList<>(List.of("plonk"));
    command.addAll(List.of(args));
    Run run = run(k8s, command);
    assertThat(run.exitCode()).as("kubectl %s%n%s", String.join(" ", command), run.output()).isZero();
    return run;
  }

  private static Run kubectl(Kubernetes k8s, String... args) {
    return run(k8s, List.of(args));
  }

  private static Run run(Kubernetes k8s, List<String> args) {
    try {
      Process process = start(k8s, args);
      CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process));
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + args + " did not finish in 60 s");
      }
      return new Run(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new AssertionError("cannot run kubectl " + args + ": " + e, e);
    }
  }

  private static Process start(Kubernetes k8s, String... pluginArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("plonk"));
    args.addAll(List.of(pluginArgs));
    return start(k8s, args);
  }

  /** kubectl with only the plugin's folder and the JDK's on the PATH, so discovery is what is tested. */
  private static Process start(Kubernetes k8s, List<String> args) throws IOException {
    Path launcher = Path.of("kubectl-plonk").toAbsolutePath();
    Path jar = Path.of("target/kubectl-plonk.jar");
    assertThat(jar).as("the plugin jar (built by the package phase before failsafe runs)").exists();
    Path bin = Files.createTempDirectory("kubectl-plonk-path");
    Files.createSymbolicLink(bin.resolve("kubectl-plonk"), launcher);
    List<String> command = new ArrayList<>(List.of(k8s.kubectl().toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    String java = Path.of(System.getProperty("java.home"), "bin").toString();
    builder.environment().put("PATH", bin + ":" + java + ":/usr/bin:/bin");
    builder.environment().put("KUBECONFIG", k8s.kubeconfig().toString());
    return builder.start();
  }

  private static String read(Process process) {
    try {
      return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "cannot read the output: " + e;
    }
  }

  /** Reads lines until one contains {@code text}; the watch prints every frame, so the text stays in the output. */
  private static void readUntil(BufferedReader out, String text) throws IOException {
    List<String> seen = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.add(line);
      if (line.contains(text)) {
        return;
      }
    }
    throw new AssertionError("the watch ended without showing " + text + ":\n" + String.join("\n", seen));
  }
}
