package dev.plonk.devstack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project checkout (the folder holding {@code plonk} and {@code .mvn}) from the working directory. */
public final class ProjectLayout {
  private ProjectLayout() {}

  public static Path root() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("plonk")) && Files.isDirectory(p.resolve(".mvn"))) {
        return p;
      }
    }
    throw new DevStackException("cannot find the Plonk checkout above " + dir
        + " (looked for a folder with both ./plonk and ./.mvn)");
  }

  /** The committed CRDs of this project ({@code crds/generated}). */
  public static Path crds() {
    return root().resolve("crds/generated");
  }

  /** Plonk's Prometheus recording and alerting rules ({@code deploy/prometheus/rules}), loaded by the devstack's Prometheus. */
  public static Path prometheusRules() {
    return root().resolve("deploy/prometheus/rules");
  }
}
