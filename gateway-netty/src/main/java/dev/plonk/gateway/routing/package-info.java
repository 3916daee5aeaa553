/**
 * Where a call goes. {@link dev.plonk.gateway.routing.RoutingTable} keeps Services, EndpointSlices, TrafficSplits and
 * HTTPRoutes current with informers (the route objects read by mesh-integration's SplitReader);
 * {@link dev.plonk.gateway.routing.DirectRouter} applies the split itself, {@link dev.plonk.gateway.routing.MeshRouter}
 * leaves it to Linkerd.
 */
package dev.plonk.gateway.routing;
