package dev.plonk.gateway.routing;

/** Picks where a call goes; one implementation per {@code --routing} mode. */
public interface Router extends AutoCloseable {

  /**
   * @throws UnknownFunctionException when the function does not exist (404)
   * @throws NoEndpointException when it exists but nothing is ready to serve it (503)
   */
  Route route(FunctionRef function);

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
