package dev.plonk.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where the devstack gets the CRDs of the systems Plonk integrates with, as files to apply.
 * <ul>
 *   <li>Gateway API: the standard channel ({@code config/crd/standard}) of the Go module {@code sigs.k8s.io/gateway-api}
 *       at {@link #GATEWAY_API_VERSION}, downloaded into the Go module cache by {@code go mod download}, the Go tooling
 *       the devstack already builds the control plane with.</li>
 *   <li>SMI TrafficSplit and the Linkerd policy CRDs: the pinned copies committed in
 *       {@code mesh-integration/src/main/upstream-crds} (the same files the typed models are generated from; origin and
 *       versions in their README), or {@code $PLONK_UPSTREAM_CRDS}.</li>
 * </ul>
 * A missing source is an error that says what is missing and how to get it, never a silent skip.
 */
public final class UpstreamCrds {
  public static final String GATEWAY_API_MODULE = "sigs.k8s.io/gateway-api";
  public static final String GATEWAY_API_VERSION = ControlPlaneBinaries.env("PLONK_GATEWAY_API_VERSION", "v1.4.1");

  private UpstreamCrds() {}

  /** Every CRD file to apply, Gateway API first. */
  public static List<Path> files() {
    List<Path> files = new ArrayList<>(yamlIn(gatewayApi()));
    // the shared folder also holds a Gateway API copy: the Go module is its source now
    yamlIn(meshCrds()).stream().filter(f -> !f.getFileName().toString().startsWith("gateway-api")).forEach(files::add);
    return files;
  }

  /** The CRDs of the objects Plonk's routers write: SMI TrafficSplit and Gateway API HTTPRoute. */
  public static List<Path> routerCrds() {
    return List.of(meshCrds().resolve("smi-trafficsplit.yaml"),
        gatewayApi().resolve("gateway.networking.k8s.io_httproutes.yaml"));
  }

  /** {@code config/crd/standard} of the pinned Gateway API module, downloaded if it is not in the module cache. */
  static Path gatewayApi() {
    String module = GATEWAY_API_MODULE + "@" + GATEWAY_API_VERSION;
    ProcessBuilder go = new ProcessBuilder("go", "mod", "download", "-json", module)
        .directory(ControlPlaneBinaries.cacheDir().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
    go.environment().put("GOTOOLCHAIN", "local");
    go.environment().put("GOFLAGS", "-mod=mod");
    String out;
    try {
      Files.createDirectories(ControlPlaneBinaries.cacheDir());
      Process process = go.start();
      out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new DevStackException("`go mod download -json " + module + "` failed: " + out.strip()
            + "; check that Go is installed and that the Go module proxy is reachable");
      }
    } catch (IOException e) {
      throw new DevStackException("cannot run `go mod download " + module + "` (" + e.getMessage()
          + "): Go is needed to get the Gateway API CRDs, as it is to build the control plane", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while downloading " + module, e);
    }
    Path dir = Path.of(moduleDir(out, module)).resolve("config/crd/standard");
    if (!Files.isDirectory(dir)) {
      throw new DevStackException(module + " has no config/crd/standard folder at " + dir);
    }
    return dir;
  }

  static String moduleDir(String goModDownloadJson, String module) {
    try {
      JsonNode dir = new ObjectMapper().readTree(goModDownloadJson).get("Dir");
      if (dir == null || dir.asText().isEmpty()) {
        throw new DevStackException("`go mod download -json " + module + "` printed no Dir: " + goModDownloadJson);
      }
      return dir.asText();
    } catch (IOException e) {
      throw new DevStackException("`go mod download -json " + module + "` printed no JSON: " + goModDownloadJson, e);
    }
  }

  /** The SMI and Linkerd CRDs: {@code $PLONK_UPSTREAM_CRDS}, else the pinned copies committed in mesh-integration. */
  static Path meshCrds() {
    String override = System.getenv("PLONK_UPSTREAM_CRDS");
    Path dir = override != null && !override.isBlank() ? Path.of(override)
        : ProjectLayout.root().resolve("mesh-integration/src/main/upstream-crds");
    if (!Files.isDirectory(dir)) {
      throw new DevStackException("the SMI TrafficSplit and Linkerd policy CRDs are missing: no folder " + dir
          + (override != null ? " (PLONK_UPSTREAM_CRDS)" : " (part of the checkout: restore it with git checkout)"));
    }
    return dir;
  }

  private static List<Path> yamlIn(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.toString().matches(".*\\.ya?ml") && !f.getFileName().toString()
          .startsWith("kustomization")).sorted().toList();
    } catch (IOException e) {
      throw new DevStackException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }
}
