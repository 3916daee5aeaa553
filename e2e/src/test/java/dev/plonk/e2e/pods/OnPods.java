package dev.plonk.e2e.pods;

import dev.plonk.devstack.DevStack;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension of the pod e2e suite: Plonk installed once per test JVM (see {@link PlonkInstall}) on the cluster
 * named by the system property {@code plonk.e2e.cluster}: {@code node} (default, the devstack's real node) or
 * {@code k3s} (a k3s container; {@code -Pk3s}, needs Docker). Test methods take a {@link PlonkInstall} parameter.
 */
public final class OnPods implements ParameterResolver {
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(OnPods.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PlonkInstall.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(STORE)
        .getOrComputeIfAbsent(Installed.class, k -> new Installed(PlonkInstall.install(cluster())), Installed.class)
        .plonk();
  }

  private static Cluster cluster() {
    String kind = System.getProperty("plonk.e2e.cluster", "node");
    return switch (kind) {
      case "node" -> new NodeCluster(DevStack.shared(),   // the images load while the node's control plane starts
          PlonkImages.built().images().stream().map(PlonkImages.Image::tar).toList());
      case "k3s" -> new K3sCluster();
      default -> throw new IllegalArgumentException("plonk.e2e.cluster=" + kind + ": expected node or k3s");
    };
  }

  /** Closes the cluster (the k3s container) when the test JVM's tests are done. */
  private record Installed(PlonkInstall plonk) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      plonk.cluster().close();
    }
  }
}
