package dev.plonk.devstack;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command to completion: its combined output, or a {@link DevStackException} saying what failed. */
public final class Commands {
  private Commands() {}

  /** Runs {@code command}; fails unless it exits 0 within {@code timeoutSeconds}. Returns stdout + stderr. */
  public static String run(int timeoutSeconds, List<String> command) {
    Result result = tryRun(timeoutSeconds, command);
    if (result.exitCode() != 0) {
      throw new DevStackException("`" + String.join(" ", command) + "` failed (exit " + result.exitCode() + "):\n"
          + result.output());
    }
    return result.output();
  }

  public static String run(int timeoutSeconds, String... command) {
    return run(timeoutSeconds, List.of(command));
  }

  /** Runs {@code command} and returns its exit code (-1 on timeout) and output, whatever they are. */
  public static Result tryRun(int timeoutSeconds, List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[][] output = new byte[1][];
      Thread reader = new Thread(() -> {
        try {
          output[0] = process.getInputStream().readAllBytes();
        } catch (IOException e) {
          output[0] = new byte[0];
        }
      });
      reader.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        reader.join(1000);
        return new Result(-1, "timed out after " + timeoutSeconds + "s");
      }
      reader.join(5000);
      return new Result(process.exitValue(), output[0] == null ? "" : new String(output[0]));
    } catch (IOException e) {
      throw new DevStackException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted running " + command.get(0), e);
    }
  }

  /** What a finished command returned. */
  public record Result(int exitCode, String output) {}
}
