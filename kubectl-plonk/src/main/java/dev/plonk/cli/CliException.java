package dev.plonk.cli;

/** A user-facing failure: its message says what was wrong and what to do next; printed without a stack trace. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }
}
