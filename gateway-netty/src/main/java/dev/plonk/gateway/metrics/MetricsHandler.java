package dev.plonk.gateway.metrics;

import dev.plonk.gateway.http.Exchange;
import dev.plonk.gateway.http.Responses;
import dev.plonk.gateway.http.RouteHandler;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code GET /metrics}: the Prometheus text exposition. */
public final class MetricsHandler implements RouteHandler {
  private final GatewayMetrics metrics;

  public MetricsHandler(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(Exchange exchange) {
    exchange.respond(Responses.bytes(HttpResponseStatus.OK, metrics.scrape(), GatewayMetrics.contentType()));
  }
}
