package dev.plonk.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EchoFunctionTest {
  @Test
  void queryKnobsOverrideDefaultsAndIgnoreGarbage() {
    assertThat(EchoFunction.param("fail=0.5&latency=20", "fail", 0)).isEqualTo(0.5);
    assertThat(EchoFunction.param("fail=0.5&latency=20", "latency", 0)).isEqualTo(20);
    assertThat(EchoFunction.param("failure=1", "fail", 0.1)).isEqualTo(0.1);
    assertThat(EchoFunction.param("fail=abc", "fail", 0.2)).isEqualTo(0.2);
    assertThat(EchoFunction.param(null, "fail", 0.3)).isEqualTo(0.3);
  }

  @Test
  void echoesTheCallersMeshIdentityOnlyWhenTheProxySetIt() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", new EchoFunction("v2", 0, 0)::handle);
    server.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      String gateway = "plonk-gateway.plonk-system.serviceaccount.identity.linkerd.cluster.local";
      HttpResponse<String> meshed = client.send(HttpRequest.newBuilder(uri).header("l5d-client-id", gateway)
          .POST(HttpRequest.BodyPublishers.ofString("ping")).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> plain = client.send(HttpRequest.newBuilder(uri)
          .POST(HttpRequest.BodyPublishers.ofString("ping")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(meshed.body()).isEqualTo("ping");
      assertThat(meshed.headers().firstValue("X-Caller-Identity")).contains(gateway);
      assertThat(meshed.headers().firstValue("X-Function-Version")).contains("v2");
      assertThat(plain.headers().firstValue("X-Caller-Identity")).isEmpty();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void healthAnswers503WhileTheUnreadyFileExists(@TempDir Path dir) throws Exception {
    Path unready = dir.resolve("echo-v2");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", new EchoFunction("v2", 0, 0, unready)::handle);
    server.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest health = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/_/health")).build();
      assertThat(client.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      Files.createFile(unready);
      HttpResponse<String> failing = client.send(health, HttpResponse.BodyHandlers.ofString());
      assertThat(failing.statusCode()).isEqualTo(503);
      assertThat(failing.body()).contains("echo-v2 exists");
      Files.delete(unready);
      assertThat(client.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    } finally {
      server.stop(0);
    }
  }
}
