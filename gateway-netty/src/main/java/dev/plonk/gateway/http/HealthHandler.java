package dev.plonk.gateway.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code /healthz}: 200 "OK" while serving, 503 while draining for shutdown. */
public final class HealthHandler implements RouteHandler {
  private final java.util.function.BooleanSupplier draining;

  public HealthHandler(java.util.function.BooleanSupplier draining) {
    this.draining = draining;
  }

  @Override
  public void handle(Exchange exchange) {
    exchange.respond(draining.getAsBoolean()
        ? Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "draining\n")
        : Responses.text(HttpResponseStatus.OK, "OK\n"));
  }
}
