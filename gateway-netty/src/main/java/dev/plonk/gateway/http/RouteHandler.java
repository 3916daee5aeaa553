package dev.plonk.gateway.http;

/** Serves one family of paths; it must call {@link Exchange#respond} exactly once, on any thread. */
public interface RouteHandler {
  void handle(Exchange exchange) throws Exception;
}
