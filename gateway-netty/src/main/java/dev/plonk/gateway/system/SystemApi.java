package dev.plonk.gateway.system;

import dev.plonk.gateway.http.Exchange;
import dev.plonk.gateway.http.Responses;
import dev.plonk.gateway.http.RouteHandler;
import dev.plonk.gateway.provider.FunctionProvider;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenFaaS {@code /system} API, routed with a table of {@link SystemRoute}s: the path picks the rows, the method
 * one of them (405 with {@code Allow} if none), a path not in the table gets 404. Operations block (the provider
 * calls Kubernetes), so each runs on a small executor and answers on the exchange's event loop. Errors map to
 * statuses here, once: bad input 400, missing 404, conflict 409, unsupported by the provider 501, Kubernetes refusing
 * 4xx as it said (or 502 if it failed).
 */
public final class SystemApi implements RouteHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SystemApi.class);

  private final List<SystemRoute> routes;
  private final FunctionProvider provider;
  private final String defaultNamespace;
  private final Executor blocking;

  public SystemApi(List<SystemRoute> routes, FunctionProvider provider, String defaultNamespace, Executor blocking) {
    this.routes = List.copyOf(routes);
    this.provider = provider;
    this.defaultNamespace = defaultNamespace;
    this.blocking = blocking;
  }

  @Override
  public void handle(Exchange exchange) {
    String path = exchange.path();
    List<SystemRoute> matching = routes.stream().filter(r -> r.matchesPath(path)).toList();
    if (matching.isEmpty()) {
      exchange.respond(Responses.error(HttpResponseStatus.NOT_FOUND, exchange.request().method() + " " + path
          + " is not part of the /system API; it serves " + routes.stream().map(r -> r.method() + " " + r.path()
              + (r.takesName() ? "<name>" : "")).collect(Collectors.joining(", "))));
      return;
    }
    SystemRoute route = matching.stream().filter(r -> r.method().equals(exchange.request().method())).findFirst()
        .orElse(null);
    if (route == null) {
      String allowed = matching.stream().map(r -> r.method().name()).collect(Collectors.joining(", "));
      FullHttpResponse response = Responses.error(HttpResponseStatus.METHOD_NOT_ALLOWED, exchange.request().method()
          + " is not allowed on " + path + "; use " + allowed);
      response.headers().set(HttpHeaderNames.ALLOW, allowed);
      exchange.respond(response);
      return;
    }
    String name = route.takesName() ? path.substring(route.path().length()) : null;
    SystemRequest request = new SystemRequest(exchange, name, provider, defaultNamespace);
    try {
      blocking.execute(() -> {
        FullHttpResponse response = run(route, request);
        if (response != null) {
          exchange.respond(response);
        }
      });
    } catch (RejectedExecutionException e) {
      exchange.respond(Responses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the gateway is shutting down"));
    }
  }

  static FullHttpResponse run(SystemRoute route, SystemRequest request) {
    try {
      return route.operation().apply(request);
    } catch (SystemRequest.BadRequest | FunctionProvider.InvalidRequestException e) {
      return Responses.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
    } catch (SystemRequest.NotFound e) {
      return Responses.error(HttpResponseStatus.NOT_FOUND, e.getMessage());
    } catch (FunctionProvider.ConflictException e) {
      return Responses.error(HttpResponseStatus.CONFLICT, e.getMessage());
    } catch (UnsupportedOperationException e) {
      return Responses.error(HttpResponseStatus.NOT_IMPLEMENTED, route.method() + " " + route.path() + " is not "
          + "supported here: " + e.getMessage());
    } catch (KubernetesClientException e) {
      int code = e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 502;
      return Responses.error(HttpResponseStatus.valueOf(code), "Kubernetes refused the request: "
          + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
    } catch (Exception e) {
      LOG.error("{} {} failed", route.method(), route.path(), e);
      return Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the gateway failed on " + route.method() + " "
          + route.path() + ": " + e + "; see the gateway log");
    }
  }
}
