package dev.plonk.devstack.runtime;

import dev.plonk.devstack.ManagedProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One "pod": a local process on a loopback port, with a pod-like IPv4 address to publish in EndpointSlices
 * (the apiserver refuses loopback addresses there; the gateway's {@code --endpoint-host} maps them back).
 */
record Replica(String templateHash, int port, String podIp, String readinessPath, ManagedProcess process) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  boolean alive() {
    return process.isAlive();
  }

  /** The readiness probe: HTTP GET on the probe path when the container has one, else a TCP connect. */
  boolean ready() {
    if (!process.isAlive()) {
      return false;
    }
    if (readinessPath == null) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + readinessPath))
          .timeout(Duration.ofSeconds(1)).build();
      int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status >= 200 && status < 400;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void stop() {
    process.stop(Duration.ofSeconds(5));
  }
}
