package dev.plonk.gateway.provider;

import java.util.List;
import java.util.Optional;

/**
 * What a platform must do to serve OpenFaaS's {@code /system} API, after faas-provider: the gateway owns routing,
 * auth, JSON, errors and threads; a provider only does the work. Calls block and run off the event loop. Every
 * namespace argument has been checked against {@link #namespaces()} before a call. An operation a provider cannot
 * do throws {@link UnsupportedOperationException} (the default), which the gateway answers with 501.
 */
public interface FunctionProvider {

  /** The namespaces functions may live in; anything else is answered as missing. */
  List<String> namespaces();

  /** The functions of a namespace. */
  List<FunctionStatus> list(String namespace);

  /** One function, if it exists. */
  Optional<FunctionStatus> get(String namespace, String name);

  /**
   * Creates a function.
   *
   * @throws ConflictException if it exists already
   * @throws InvalidRequestException if the request cannot be honoured as given
   */
  void deploy(String namespace, FunctionDeployment function);

  /** Replaces a function's spec; false if there is no such function. */
  boolean update(String namespace, FunctionDeployment function);

  /** Deletes a function; false if there was no such function. */
  boolean delete(String namespace, String name);

  /** Sets a function's desired replicas; false if there is no such function. */
  boolean scale(String namespace, String name, int replicas);

  /** The provider's secrets store, if it has one. */
  default SecretStore secrets() {
    throw new UnsupportedOperationException("this provider has no secrets store");
  }

  /** The provider's function logs, if it can read them. */
  default LogSource logs() {
    throw new UnsupportedOperationException("this provider cannot read function logs");
  }

  /** The function (or secret) already exists. */
  final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
      super(message);
    }
  }

  /** A request that is well-formed JSON but cannot be honoured; the message says what to change. */
  final class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
      super(message);
    }
  }
}
