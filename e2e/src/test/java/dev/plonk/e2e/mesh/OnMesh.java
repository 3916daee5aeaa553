package dev.plonk.e2e.mesh;

import dev.plonk.devstack.DevStack;
import dev.plonk.e2e.pods.NodeCluster;
import dev.plonk.e2e.pods.PlonkInstall;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension of the mesh suite: once per test JVM, the devstack's real node, Linkerd built from source and
 * installed on it ({@link LinkerdInstall}), then Plonk with {@code deploy/overlays/devstack-linkerd} (gateway and
 * functions injected, the gateway in {@code --routing=mesh}, the controller on the {@code linkerd} observer). Linkerd
 * comes first: a pod created while the proxy injector is not there runs without a proxy. Test methods take a
 * {@link Mesh} parameter.
 */
public final class OnMesh implements ParameterResolver {
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(OnMesh.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Mesh.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(STORE).getOrComputeIfAbsent(Mesh.class, k -> install(), Mesh.class);
  }

  private static Mesh install() {
    DevStack stack = DevStack.shared();
    NodeCluster cluster = new NodeCluster(stack);
    LinkerdInstall.install(stack, cluster);
    return new Mesh(cluster, PlonkInstall.install(cluster, "devstack-linkerd"));
  }
}
