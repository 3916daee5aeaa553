package dev.plonk.gateway.routing;

import dev.plonk.mesh.BackendNames;
import dev.plonk.mesh.router.Split;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

/**
 * Direct mode: the gateway applies the split itself. A backend is picked by smooth weighted round-robin among the
 * backends that have a ready endpoint, then one of its endpoints round-robin. A function without a split goes to
 * its own Service's endpoints.
 */
public final class DirectRouter implements Router {
  private final RoutingTable table;

  public DirectRouter(RoutingTable table) {
    this.table = table;
  }

  @Override
  public Route route(FunctionRef function) {
    String ns = function.namespace();
    Optional<SmoothWeightedBalancer> split = table.split(ns, function.name());
    String backend;
    if (split.isPresent()) {
      Split.Backend chosen = split.get().next(b -> !table.endpoints(ns, b.service()).isEmpty());
      if (chosen == null) {
        throw new NoEndpointException("function " + function.qualifiedName() + " has no ready endpoint in any backend of "
            + "its split " + split.get().backends() + "; wait for its pods to become ready, or check its EndpointSlices");
      }
      backend = chosen.service();
    } else if (table.servicePort(ns, function.name()).isPresent()) {
      backend = function.name();
    } else {
      throw Router.unknown(function);
    }
    return to(function, backend);
  }

  @Override
  public Route canary(FunctionRef function) {
    String backend = BackendNames.canary(function.name());
    if (table.servicePort(function.namespace(), backend).isEmpty()) {
      throw Router.noCanary(function);
    }
    return to(function, backend);
  }

  private Route to(FunctionRef function, String backend) {
    Endpoints endpoints = table.endpoints(function.namespace(), backend);
    if (endpoints.isEmpty()) {
      throw new NoEndpointException("function " + function.qualifiedName() + " has no ready endpoint (Service '" + backend
          + "'); wait for its pods to become ready, or scale it up (POST /system/scale-function/" + function.name() + ")");
    }
    InetSocketAddress address = endpoints.next();
    return new Route(address, address.getHostString() + ":" + address.getPort(), false, Map.of(), backend);
  }

  @Override
  public boolean knows(FunctionRef function) {
    return table.split(function.namespace(), function.name()).isPresent()
        || table.servicePort(function.namespace(), function.name()).isPresent();
  }

  @Override
  public int readyEndpoints(FunctionRef function) {
    return table.endpoints(function.namespace(), function.name()).size();
  }

  @Override
  public void close() {
    table.close();
  }
}
