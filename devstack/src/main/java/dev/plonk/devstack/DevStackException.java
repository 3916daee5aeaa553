package dev.plonk.devstack;

/** A devstack component could not be provisioned or started; the message says what to do. */
public class DevStackException extends RuntimeException {
  public DevStackException(String message) {
    super(message);
  }

  public DevStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
