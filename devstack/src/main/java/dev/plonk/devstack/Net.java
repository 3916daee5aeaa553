package dev.plonk.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Loopback helpers: free ports and bounded waits. */
public final class Net {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Net() {}

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new DevStackException("no free loopback port: " + e.getMessage(), e);
    }
  }

  /** An executable on the PATH. */
  public static java.util.Optional<String> executable(String name) {
    for (String dir : (System.getenv().getOrDefault("PATH", "/usr/bin") + ":/usr/sbin:/usr/local/sbin").split(":")) {
      java.nio.file.Path candidate = java.nio.file.Path.of(dir, name);
      if (java.nio.file.Files.isExecutable(candidate)) {
        return java.util.Optional.of(candidate.toString());
      }
    }
    return java.util.Optional.empty();
  }

  /** GET {@code url} and report whether it answered 200. */
  public static boolean isOk(String url) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Polls {@code condition} every 100 ms until it holds, or fails after {@code timeout} naming {@code what}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition, ManagedProcess process) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (process != null && !process.isAlive()) {
        throw new DevStackException(process.name() + " exited while waiting for " + what + "; log "
            + process.log() + ":\n" + process.tail(30));
      }
      if (System.nanoTime() > deadline) {
        throw new DevStackException("timed out after " + timeout.toSeconds() + "s waiting for " + what
            + (process == null ? "" : "; log " + process.log() + ":\n" + process.tail(30)));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DevStackException("interrupted while waiting for " + what, e);
      }
    }
  }
}
