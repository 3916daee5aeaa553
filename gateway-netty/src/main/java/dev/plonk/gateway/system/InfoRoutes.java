package dev.plonk.gateway.system;

import dev.plonk.gateway.http.Responses;
import dev.plonk.gateway.provider.FunctionProvider;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;

/** {@code /system/info} and {@code /system/namespaces}, and the OpenFaaS routes Plonk does not support (501). */
final class InfoRoutes {
  private final FunctionProvider provider;
  private final String routing;

  InfoRoutes(FunctionProvider provider, String routing) {
    this.provider = provider;
    this.routing = routing;
  }

  List<SystemRoute> routes() {
    return List.of(
        new SystemRoute(HttpMethod.GET, "/system/info", r -> Responses.json(HttpResponseStatus.OK, Map.of(
            "provider", Map.of("provider", "plonk", "orchestration", "kubernetes",
                "version", Map.of("release", GatewayInfo.VERSION)),
            "version", Map.of("release", GatewayInfo.VERSION), "arch", System.getProperty("os.arch"),
            "routing", routing))),
        new SystemRoute(HttpMethod.GET, "/system/namespaces",
            r -> Responses.json(HttpResponseStatus.OK, provider.namespaces())),
        new SystemRoute(HttpMethod.POST, "/system/alert", r -> {
          throw new UnsupportedOperationException("Plonk does not scale on Alertmanager alerts; scale a function "
              + "with POST /system/scale-function/<name>, or let a HorizontalPodAutoscaler do it");
        }));
  }
}
