package dev.plonk.gateway.system;

import dev.plonk.gateway.metrics.GatewayMetrics;
import dev.plonk.gateway.provider.FunctionProvider;
import java.util.ArrayList;
import java.util.List;

/** The whole {@code /system} table: functions, secrets, logs, info and namespaces, and the unsupported routes (501). */
public final class SystemRoutes {
  private SystemRoutes() {}

  public static List<SystemRoute> all(FunctionProvider provider, GatewayMetrics metrics, String routing) {
    List<SystemRoute> routes = new ArrayList<>(new FunctionRoutes(provider, metrics).routes());
    routes.addAll(new SecretRoutes(provider).routes());
    routes.addAll(new LogRoutes(provider).routes());
    routes.addAll(new InfoRoutes(provider, routing).routes());
    return routes;
  }
}
