package dev.plonk.gateway.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Basic auth as a decorator on the routes that need it (OpenFaaS: {@code /system/*}): a missing or wrong
 * {@code Authorization} gets 401 with {@code WWW-Authenticate} and never reaches the route.
 */
public final class Authenticated implements RouteHandler {
  private final BasicAuth auth;
  private final RouteHandler route;

  public Authenticated(BasicAuth auth, RouteHandler route) {
    this.auth = auth;
    this.route = route;
  }

  @Override
  public void handle(Exchange exchange) throws Exception {
    String header = exchange.request().headers().get(HttpHeaderNames.AUTHORIZATION);
    if (auth.accepts(header)) {
      route.handle(exchange);
      return;
    }
    FullHttpResponse response = Responses.error(HttpResponseStatus.UNAUTHORIZED, header == null
        ? "this route requires basic auth and no Authorization header was sent; log in with 'faas-cli login' or send "
            + "'Authorization: Basic base64(user:password)' with the gateway's credentials"
        : "the credentials in the Authorization header are wrong; use the user and password from the gateway's "
            + "secret folder (basic-auth-user, basic-auth-password)");
    response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"plonk\", charset=\"UTF-8\"");
    exchange.respond(response);
  }
}
