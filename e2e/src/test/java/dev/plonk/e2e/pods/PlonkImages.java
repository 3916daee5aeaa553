package dev.plonk.e2e.pods;

import dev.plonk.devstack.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The image tarballs the install loads, as devstack/images/build-images.sh leaves them: the bases in the cache
 * ({@code $PLONK_CACHE/images}), Plonk's own in each module's {@code target/image/}.
 */
public record PlonkImages(List<Image> images) {
  /** One image: the tag deploy/overlays/devstack (or samples/manifests) names, and its tarball. */
  public record Image(String tag, Path tar) {}

  /** Every image, or an AssertionError naming the missing ones and how to build them. */
  public static PlonkImages built() {
    String cacheEnv = System.getenv("PLONK_CACHE");
    Path cache = cacheEnv != null && !cacheEnv.isBlank() ? Path.of(cacheEnv)
        : Path.of(System.getProperty("user.home"), ".cache", "plonk");
    Path root = ProjectLayout.root();
    List<Image> images = List.of(
        new Image("plonk.local/nats:dev", cache.resolve("images/nats.tar")),
        new Image("plonk.local/prometheus:dev", cache.resolve("images/prometheus.tar")),
        new Image("plonk.local/gateway:dev", root.resolve("gateway-netty/target/image/gateway.tar")),
        new Image("plonk.local/rollout-controller:dev", root.resolve("rollout-controller/target/image/rollout-controller.tar")),
        new Image("plonk.local/queue-worker:dev", root.resolve("queue-worker/target/image/queue-worker.tar")),
        new Image("plonk.local/echo:dev", root.resolve("samples/target/image/echo.tar")));
    List<Path> missing = images.stream().map(Image::tar).filter(tar -> !Files.isRegularFile(tar)).toList();
    if (!missing.isEmpty()) {
      throw new AssertionError("image tarballs missing: " + missing + "; build them with devstack/images/build-images.sh "
          + "(./plonk test does it first)");
    }
    return new PlonkImages(images);
  }
}
