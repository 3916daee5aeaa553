package dev.plonk.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the kube-apiserver, etcd and kubectl binaries built from Go modules are cached, and how to build them
 * when they are missing ({@code devstack/build-control-plane.sh}, which prints progress).
 */
public record ControlPlaneBinaries(Path kubeApiServer, Path etcd, Path kubectl) {
  public static final String K8S_VERSION = env("PLONK_K8S_VERSION", "v1.36.3");
  public static final String ETCD_VERSION = env("PLONK_ETCD_VERSION", "v3.6.16");

  public static Path cacheDir() {
    return Path.of(env("PLONK_CACHE", System.getProperty("user.home") + "/.cache/plonk"));
  }

  /** The cached binaries, built first if any is missing. */
  public static ControlPlaneBinaries ensure() {
    Path cache = cacheDir();
    ControlPlaneBinaries binaries = new ControlPlaneBinaries(
        cache.resolve("kube-apiserver-" + K8S_VERSION).resolve("kube-apiserver"),
        cache.resolve("etcd-" + ETCD_VERSION).resolve("etcd"),
        cache.resolve("kube-apiserver-" + K8S_VERSION).resolve("kubectl"));
    if (!binaries.present()) {
      runBuildScript("devstack/build-control-plane.sh", "control-plane binaries");
    }
    if (!binaries.present()) {
      throw new DevStackException("control-plane binaries still missing after the build: " + binaries);
    }
    return binaries;
  }

  private boolean present() {
    return Files.isExecutable(kubeApiServer) && Files.isExecutable(etcd) && Files.isExecutable(kubectl);
  }

  /** Runs a build script of the checkout (relative path), printing its progress; fails if it fails. */
  static void runBuildScript(String relativePath, String what) {
    Path script = ProjectLayout.root().resolve(relativePath);
    System.err.println("[devstack] " + what + " missing; building them with " + script + " (cold: many minutes)");
    try {
      Process process = new ProcessBuilder("bash", script.toString()).inheritIO().start();
      if (process.waitFor() != 0) {
        throw new DevStackException(script + " failed with exit code " + process.exitValue()
            + "; run it by hand to see why");
      }
    } catch (IOException e) {
      throw new DevStackException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while building " + what, e);
    }
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
