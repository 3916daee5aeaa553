package dev.plonk.e2e.mesh;

import dev.plonk.devstack.DevStack;
import dev.plonk.devstack.ProjectLayout;
import dev.plonk.e2e.pods.NodeCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Linkerd on the devstack's node, as {@code ./plonk up --mesh} installs it: the images built from the source snapshots
 * (cached in {@code $PLONK_CACHE/linkerd-<version>/images}) loaded into the node's containerd, then
 * {@code devstack/install-linkerd.sh install}: the devstack's own trust anchor and issuer, {@code linkerd install},
 * {@code linkerd-smi install}, and {@code linkerd check}, whose output is printed and which must pass.
 */
final class LinkerdInstall {
  /** The version devstack/build-linkerd.sh builds by default. */
  static final String VERSION = "edge-26.8.3";
  private static final List<String> IMAGES = List.of("proxy", "controller", "smi-adaptor");
  private static final Duration TIMEOUT = Duration.ofMinutes(15);

  private LinkerdInstall() {
  }

  /** Loads the images and installs; fails naming the build commands when the cache lacks a part. */
  static void install(DevStack stack, NodeCluster cluster) {
    Path dir = cache().resolve("linkerd-" + VERSION);
    List<Path> missing = IMAGES.stream().map(i -> dir.resolve("images/" + i + ".tar")).filter(t -> !Files.isRegularFile(t))
        .toList();
    if (!missing.isEmpty() || !Files.isExecutable(dir.resolve("bin/linkerd"))) {
      throw new AssertionError("Linkerd is not built: missing " + (missing.isEmpty() ? dir.resolve("bin/linkerd") : missing)
          + "; build it from ../shared/third-party/linkerd with devstack/build-linkerd.sh, then "
          + "devstack/build-linkerd-images.sh (about 90 minutes cold on 2 busy cores, see devstack/LINKERD.md)");
    }
    long start = System.nanoTime();
    IMAGES.forEach(i -> cluster.importImage(dir.resolve("images/" + i + ".tar")));
    long imported = System.nanoTime();
    run(stack, List.of("bash", ProjectLayout.root().resolve("devstack/install-linkerd.sh").toString(), "install"));
    System.err.printf("[e2e] Linkerd %s: images loaded in %d ms, installed and `linkerd check` passed %d ms later%n",
        VERSION, Duration.ofNanos(imported - start).toMillis(), Duration.ofNanos(System.nanoTime() - imported).toMillis());
  }

  private static void run(DevStack stack, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", stack.kubernetes().kubeconfig().toString());
    env.put("KUBECTL", stack.kubernetes().kubectl().toString());
    env.put("PLONK_RUN_DIR", stack.dir().toString());   // the trust anchor and issuer go to <dir>/linkerd-identity
    env.put("PLONK_CACHE", cache().toString());
    try {
      Process process = builder.start();
      // printed through System.err (the test report keeps it), never written to the forked JVM's own stream
      try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
          java.nio.charset.StandardCharsets.UTF_8))) {
        lines.lines().forEach(line -> System.err.println("[linkerd] " + line));
      }
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT.toMinutes() + " min");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + "; output above)");
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted installing Linkerd", e);
    }
  }

  static Path cache() {
    String env = System.getenv("PLONK_CACHE");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "plonk");
  }
}
