package dev.plonk.gateway.routing;

import dev.plonk.mesh.BackendNames;

/** Picks where a call goes; one implementation per {@code --routing} mode. */
public interface Router extends AutoCloseable {

  /**
   * @throws UnknownFunctionException when the function does not exist (404)
   * @throws NoEndpointException when it exists but nothing is ready to serve it (503)
   */
  Route route(FunctionRef function);

  /**
   * The function's canary backend ({@code <name>-canary}, made by the rollout-controller) whatever the split's weights:
   * the target of generated load.
   *
   * @throws UnknownFunctionException when the function has no canary backend Service (it is not under a Rollout)
   * @throws NoEndpointException when the canary has no ready endpoint
   */
  Route canary(FunctionRef function);

  /** The answer for a function without a canary backend. */
  static UnknownFunctionException noCanary(FunctionRef function) {
    return new UnknownFunctionException("function " + function.qualifiedName() + " has no canary backend (Service "
        + BackendNames.canary(function.name()) + "): only a function under a Rollout has one; check the name and "
        + "namespace");
  }

  /** True if the function exists (a function Service or a split in a served namespace); no side effect. */
  boolean knows(FunctionRef function);

  /** The answer for a function that does not exist, the same whether its namespace is served or not. */
  static UnknownFunctionException unknown(FunctionRef function) {
    return new UnknownFunctionException("function " + function.qualifiedName() + " not found; deploy it first (POST "
        + "/system/functions), check the name, or check that '" + function.namespace() + "' is a function namespace "
        + "(GET /system/namespaces)");
  }

  /** Ready endpoints of the function's own Service (for {@code gateway_service_count}); -1 if unknown. */
  int readyEndpoints(FunctionRef function);

  @Override
  default void close() {}

  /** No Service and no split of that name in that namespace. */
  final class UnknownFunctionException extends RuntimeException {
    public UnknownFunctionException(String message) {
      super(message);
    }
  }

  /** The function is known but none of its backends has a ready endpoint. */
  final class NoEndpointException extends RuntimeException {
    public NoEndpointException(String message) {
      super(message);
    }
  }
}
