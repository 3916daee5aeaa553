package dev.plonk.mesh.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both routers' objects are accepted by the real upstream CRDs (linkerd-smi TrafficSplit, Gateway API v1.4.1 HTTPRoute). */
@DevStackTest(upstreamCrds = true)
class UpstreamSchemasIT {

  @ParameterizedTest
  @EnumSource(Provider.class)
  void routerLifecycleOnTheUpstreamSchema(Provider provider, KubernetesClient client, TestNamespace ns) {
    TrafficRouter router = new TrafficRouterFactory(client, "plonk-test").forProvider(provider);
    RouteTarget target = new RouteTarget(ns.name(), "echo", 8080, null);
    assertThat(router.getWeights(target)).isEmpty();

    router.reconcile(target);
    assertThat(router.getWeights(target)).contains(Weights.PRIMARY_ONLY);

    router.setWeights(target, Weights.canary(20));
    assertThat(router.getWeights(target)).contains(new Weights(80, 20));
    router.reconcile(target);
    assertThat(router.getWeights(target)).as("reconcile keeps existing weights").contains(new Weights(80, 20));

    router.setWeights(target, Weights.canary(100));
    assertThat(router.getWeights(target)).contains(new Weights(0, 100));

    router.finalize(target);
    assertThat(router.getWeights(target)).isEmpty();
  }
}
