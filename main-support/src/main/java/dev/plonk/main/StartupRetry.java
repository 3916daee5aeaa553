package dev.plonk.main;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * A main's first calls to a dependency that may be slow to answer, the apiserver of a loaded node above all: each
 * attempt that fails is logged and retried after a growing pause (1 s, 2 s, 4 s, then every 10 s) until the bound
 * ({@code --startup-timeout}) has passed; then the last failure is thrown, with the bound in its message. Meanwhile the
 * main serves no ready {@code /healthz}, so its pod stays not Ready instead of crash-looping at the first timeout.
 *
 * @param bound how long to keep trying
 * @param first the first pause
 * @param max   the longest pause
 */
public record StartupRetry(Duration bound, Duration first, Duration max) {
  public StartupRetry {
    if (bound.isNegative() || first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("startup retry: bound " + bound + " must not be negative and the pauses must "
          + "grow from a positive first pause (" + first + ") to the max (" + max + ")");
    }
  }

  /** The pauses every main uses: 1 s doubling up to 10 s. */
  public static StartupRetry within(Duration bound) {
    return new StartupRetry(bound, Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  /**
   * Runs {@code attempt} until it returns, or until {@link #bound()} has passed since the first try.
   *
   * @param what names the dependency in the log lines and the error, e.g. "Kubernetes at https://10.0.0.1:443"
   * @param log  where each failed attempt is reported (one line)
   */
  public <T> T run(String what, Consumer<String> log, Callable<T> attempt) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    Duration pause = first;
    for (int tries = 1; ; tries++) {
      try {
        return attempt.call();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new StartupException(what + " did not answer within " + seconds(bound) + " (" + tries
              + " attempts; raise --startup-timeout if the cluster is slow to answer): " + e.getMessage(), e);
        }
        Duration wait = pause.toNanos() < left ? pause : Duration.ofNanos(left);
        log.accept(what + " not answering yet (attempt " + tries + ": " + e.getMessage() + "); retrying in "
            + seconds(wait));
        Thread.sleep(Math.max(1, wait.toMillis()));
        pause = pause.multipliedBy(2).compareTo(max) > 0 ? max : pause.multipliedBy(2);
      }
    }
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
  }

  /** Thrown when the bound passed; its cause is the last attempt's failure. */
  public static final class StartupException extends Exception {
    StartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
