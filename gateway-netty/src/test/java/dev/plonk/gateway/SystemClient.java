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

  HttpResponse<String> call(String method, String path, String body) throws Exception {
    return Fixtures.HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", AUTH).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
