package dev.plonk.e2e.pods;

import dev.plonk.devstack.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The image tarballs the install loads, as devstack/images/build-images.sh leaves them: the bases in the cache
 * ({@code $PLONK_CACHE/images}), Plonk's own in each module's {@code target/image/} (where {@code -Pimages} writes
 * them), or in the folder named by the system property {@code plonk.images.dir} ({@code ./plonk test} passes the
 * cached build of the current sources, devstack/images/plonk-images.sh).
 */
public record PlonkImages(List<Image> images) {
  /** The module that builds each of Plonk's images. */
  private static final Map<String, String> MODULES = Map.of("gateway", "gateway-netty",
      "rollout-controller", "rollout-controller", "queue-worker", "queue-worker", "echo", "samples");

  /** One image: the tag deploy/overlays/devstack (or samples/manifests) names, and its tarball. */
  public record Image(String tag, Path tar) {}

  /** Every image, or an AssertionError naming the missing ones and how to build them. */
  public static PlonkImages built() {
    String cacheEnv = System.getenv("PLONK_CACHE");
    Path cache = cacheEnv != null && !cacheEnv.isBlank() ? Path.of(cacheEnv)
        : Path.of(System.getProperty("user.home"), ".cache", "plonk");
    String dir = System.getProperty("plonk.images.dir", "");
    Path root = ProjectLayout.root();
    Function<String, Path> plonk = name -> dir.isBlank()
        ? root.resolve(MODULES.get(name)).resolve("target/image").resolve(name + ".tar") : Path.of(dir, name + ".tar");
    List<Image> images = List.of(
        new Image("plonk.local/nats:dev", cache.resolve("images/nats.tar")),
        new Image("plonk.local/prometheus:dev", cache.resolve("images/prometheus.tar")),
        new Image("plonk.local/gateway:dev", plonk.apply("gateway")),
        new Image("plonk.local/rollout-controller:dev", plonk.apply("rollout-controller")),
        new Image("plonk.local/queue-worker:dev", plonk.apply("queue-worker")),
        new Image("plonk.local/echo:dev", plonk.apply("echo")));
    List<Path> missing = images.stream().map(Image::tar).filter(tar -> !Files.isRegularFile(tar)).toList();
    if (!missing.isEmpty()) {
      throw new AssertionError("image tarballs missing: " + missing + "; build them with devstack/images/build-images.sh "
          + "(./plonk test does it first)");
    }
    return new PlonkImages(images);
  }
}
