package dev.plonk.e2e;

import dev.plonk.devstack.Kubernetes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl binary against the devstack, as users drive Plonk. */
final class Kubectl {
  private final Kubernetes kubernetes;
  private final Path kubeconfig;

  Kubectl(Kubernetes kubernetes) {
    this(kubernetes, kubernetes.kubeconfig());
  }

  Kubectl(Kubernetes kubernetes, Path kubeconfig) {
    this.kubernetes = kubernetes;
    this.kubeconfig = kubeconfig;
  }

  record Result(int exitCode, String output) {
    Result ok() {
      if (exitCode != 0) {
        throw new AssertionError("kubectl failed (" + exitCode + "):\n" + output);
      }
      return this;
    }
  }

  Result run(String... args) {
    List<String> command = new ArrayList<>(List.of(kubernetes.kubectl().toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " timed out");
      }
      return new Result(process.exitValue(), output.trim());
    } catch (IOException e) {
      throw new AssertionError("cannot run kubectl: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
