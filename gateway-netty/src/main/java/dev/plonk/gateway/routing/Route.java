package dev.plonk.gateway.routing;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Where one call goes.
 *
 * @param address        the socket to connect to
 * @param authority      the Host header to send ({@code host:port})
 * @param absoluteForm   send the request-target in absolute form (the address is an HTTP proxy)
 * @param extraHeaders   headers to add upstream (e.g. {@code l5d-dst-override})
 * @param backend        the backend Service chosen (for the per-backend metrics)
 */
public record Route(InetSocketAddress address, String authority, boolean absoluteForm, Map<String, String> extraHeaders,
    String backend) {}
