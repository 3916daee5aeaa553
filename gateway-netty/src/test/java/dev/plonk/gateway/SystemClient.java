package dev.plonk.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/** Calls a gateway's /system API with basic auth; writes the credentials a gateway reads from {@code --secret-dir}. */
final class SystemClient {
  static final String USER = "admin";
  static final String PASSWORD = "pw";
  static final String AUTH = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes());

  private final String url;

  SystemClient(Gateway gateway) {
    this.url = gateway.url();
  }

  /** Writes basic-auth-user and basic-auth-password into {@code dir}; returns the gateway flag that reads them. */
  static String secretDir(Path dir) throws IOException {
    Files.writeString(dir.resolve("basic-auth-user"), USER);
    Files.writeString(dir.resolve("basic-auth-password"), PASSWORD);
    return "--secret-dir=" + dir;
  }

  /**
   * Waits (bounded: 30 s) until the gateway serves {@code namespace}: a namespace just created with the opt-in
   * annotation is served once the gateway's namespace informer has seen it.
   */
  SystemClient served(String namespace) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!call("GET", "/system/namespaces", null).body().contains("\"" + namespace + "\"")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the gateway does not serve namespace " + namespace + " after 30 s");
      }
      Thread.sleep(50);
    }
    return this;
  }

  HttpResponse<String> call(String method, String path, String body) throws Exception {
    return Fixtures.HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", AUTH).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
