package dev.plonk.mesh.router;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * Gateway API {@code gateway.networking.k8s.io/v1 HTTPRoute <apex>} in the GAMMA style: its parent is the apex Service
 * (group "", kind Service) and its one rule's backendRefs are the primary and canary Services.
 */
public final class GatewayApiHttpRouteRouter implements TrafficRouter {
  private final KubernetesClient client;
  private final String fieldManager;

  public GatewayApiHttpRouteRouter(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  @Override
  public HTTPRoute setWeights(RouteTarget target, Weights weights) {
    return client.resource(desired(target, weights)).fieldManager(fieldManager).forceConflicts().serverSideApply();
  }

  @Override
  public Optional<HasMetadata> get(RouteTarget target) {
    return Optional.ofNullable(client.resources(HTTPRoute.class).inNamespace(target.namespace()).withName(target.apex())
        .get());
  }

  @Override
  public Class<HTTPRoute> routeType() {
    return HTTPRoute.class;
  }

  @Override
  public Optional<Weights> weightsOf(HasMetadata route, RouteTarget target) {
    return route instanceof HTTPRoute r ? SplitReader.fromHttpRoute(r).flatMap(s -> s.weights(target)) : Optional.empty();
  }

  @Override
  public void finalize(RouteTarget target) {
    client.resources(HTTPRoute.class).inNamespace(target.namespace()).withName(target.apex()).delete();
  }

  /** The HTTPRoute this router writes (public for tests and dry runs). */
  public static HTTPRoute desired(RouteTarget target, Weights weights) {
    HTTPRoute route = new HTTPRouteBuilder()
        .withNewMetadata().withName(target.apex()).withNamespace(target.namespace())
        .addToLabels("app.kubernetes.io/managed-by", "plonk-rollout-controller").endMetadata()
        .withNewSpec()
        .addNewParentRef().withGroup("").withKind("Service").withName(target.apex()).withPort(target.port()).endParentRef()
        .addNewRule().withBackendRefs(
            backend(target.primary(), target.port(), weights.primary()),
            backend(target.canary(), target.port(), weights.canary())).endRule()
        .endSpec().build();
    if (target.owner() != null) {
      route.getMetadata().setOwnerReferences(List.of(target.owner()));
    }
    return route;
  }

  private static HTTPBackendRef backend(String service, int port, int weight) {
    return new HTTPBackendRefBuilder().withGroup("").withKind("Service").withName(service).withPort(port)
        .withWeight(weight).build();
  }
}
