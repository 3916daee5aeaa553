package dev.plonk.gateway.routing;

import dev.plonk.mesh.BackendNames;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Mesh mode: the call goes to the apex Service's cluster DNS name with {@code l5d-dst-override} set, so the Linkerd
 * proxy applies the TrafficSplit or HTTPRoute. With a {@code meshProxy} address the gateway connects there instead
 * and speaks to it as an HTTP proxy (absolute-form request target), keeping the same authority.
 */
public final class MeshRouter implements Router {
  private final RoutingTable table;
  private final String clusterDomain;
  private final InetSocketAddress meshProxy;

  public MeshRouter(RoutingTable table, String clusterDomain, InetSocketAddress meshProxy) {
    this.table = table;
    this.clusterDomain = clusterDomain;
    this.meshProxy = meshProxy;
  }

  @Override
  public Route route(FunctionRef function) {
    int port = table.servicePort(function.namespace(), function.name()).orElseThrow(() -> Router.unknown(function));
    return to(function.namespace(), function.name(), port);
  }

  /** Straight to the {@code <name>-canary} Service: the proxy applies no split to it. */
  @Override
  public Route canary(FunctionRef function) {
    String backend = BackendNames.canary(function.name());
    int port = table.servicePort(function.namespace(), backend).orElseThrow(() -> Router.noCanary(function));
    return to(function.namespace(), backend, port);
  }

  private Route to(String namespace, String service, int port) {
    String host = service + "." + namespace + ".svc." + clusterDomain;
    String authority = host + ":" + port;
    InetSocketAddress address = meshProxy != null ? meshProxy : InetSocketAddress.createUnresolved(host, port);
    return new Route(address, authority, meshProxy != null, Map.of("l5d-dst-override", authority), service);
  }

  @Override
  public boolean knows(FunctionRef function) {
    return table.servicePort(function.namespace(), function.name()).isPresent();
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
