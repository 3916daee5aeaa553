package dev.plonk.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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

  /** The upstream CRDs kept next to the checkout ({@code ../shared/upstream-crds}), if present. */
  public static Optional<Path> upstreamCrds() {
    String override = System.getenv("PLONK_UPSTREAM_CRDS");
    if (override != null) {
      return Optional.of(Path.of(override)).filter(Files::isDirectory);
    }
    // next to this checkout, or next to the team's main checkout when CI runs from a fresh clone elsewhere
    return java.util.stream.Stream.of(root().getParent().resolve("shared/upstream-crds"), Path.of("/work/shared/upstream-crds"))
        .filter(Files::isDirectory)
        .findFirst();
  }
}
