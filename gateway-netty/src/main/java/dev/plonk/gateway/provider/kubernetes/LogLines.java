package dev.plonk.gateway.provider.kubernetes;

import dev.plonk.gateway.provider.LogSource.LogMessage;
import dev.plonk.gateway.provider.LogSource.LogRequest;

/** Turns a {@code pods/log} line written with timestamps ({@code <RFC3339Nano> <text>}) into a log message (pure). */
final class LogLines {
  private LogLines() {}

  static LogMessage parse(LogRequest request, String instance, String line) {
    int space = line.indexOf(' ');
    boolean stamped = space > 0 && Character.isDigit(line.charAt(0)) && line.charAt(space - 1) == 'Z';
    return new LogMessage(request.name(), request.namespace(), instance, stamped ? line.substring(0, space) : null,
        stamped ? line.substring(space + 1) : line);
  }
}
