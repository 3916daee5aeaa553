package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.TestNamespace;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth on by default: every /system route refuses a missing or wrong password and works with the right one. */
@DevStackTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthIT {
  private static final String RIGHT = SystemClient.AUTH;
  private static final String WRONG = "Basic " + Base64.getEncoder().encodeToString("admin:guess".getBytes());
  private Gateway gateway;

  /** One call of each /system route; {@code %s} is the test namespace. */
  private record Route(String method, String path, String body, int expected) {}

  private static List<Route> routes(String ns) {
    return List.of(
        new Route("POST", "/system/functions", "{\"service\":\"fn\",\"image\":\"i:1\",\"namespace\":\"" + ns + "\"}", 202),
        new Route("GET", "/system/functions?namespace=" + ns, null, 200),
        new Route("GET", "/system/function/fn?namespace=" + ns, null, 200),
        new Route("PUT", "/system/functions", "{\"service\":\"fn\",\"image\":\"i:2\",\"namespace\":\"" + ns + "\"}", 202),
        new Route("POST", "/system/scale-function/fn?namespace=" + ns, "{\"serviceName\":\"fn\",\"replicas\":2}", 202),
        new Route("GET", "/system/logs?name=fn&namespace=" + ns, null, 200),
        new Route("POST", "/system/secrets", "{\"name\":\"key\",\"value\":\"v\",\"namespace\":\"" + ns + "\"}", 201),
        new Route("GET", "/system/secrets?namespace=" + ns, null, 200),
        new Route("PUT", "/system/secrets", "{\"name\":\"key\",\"value\":\"w\",\"namespace\":\"" + ns + "\"}", 200),
        new Route("DELETE", "/system/secrets", "{\"name\":\"key\",\"namespace\":\"" + ns + "\"}", 200),
        new Route("DELETE", "/system/functions", "{\"functionName\":\"fn\",\"namespace\":\"" + ns + "\"}", 202),
        new Route("GET", "/system/info", null, 200),
        new Route("GET", "/system/namespaces", null, 200),
        new Route("POST", "/system/alert", "{}", 501));
  }

  @BeforeAll
  void start(Kubernetes kubernetes, @TempDir Path secrets) throws Exception {
    gateway = GatewayMain.start("--port=0", "--kubeconfig=" + kubernetes.kubeconfig(), SystemClient.secretDir(secrets));
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  private HttpResponse<String> call(Route route, String auth) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + route.path()))
        .timeout(Duration.ofSeconds(30)).method(route.method(), route.body() == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(route.body()));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return Fixtures.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everySystemRouteNeedsTheRightCredentials(TestNamespace ns) throws Exception {
    new SystemClient(gateway).served(ns.name());
    for (Route route : routes(ns.name())) {
      HttpResponse<String> none = call(route, null);
      assertThat(none.statusCode()).as(route + " without credentials").isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).as(route.toString()).isPresent();
      assertThat(call(route, WRONG).statusCode()).as(route + " with a wrong password").isEqualTo(401);
      HttpResponse<String> right = call(route, RIGHT);
      assertThat(right.statusCode()).as(route + " with the right credentials: " + right.body())
          .isEqualTo(route.expected());
    }
  }

  @Test
  void functionsAndHealthNeedNoCredentials() throws Exception {
    assertThat(Fixtures.get(gateway.url() + "/healthz").statusCode()).isEqualTo(200);
    assertThat(Fixtures.get(gateway.url() + "/function/nothere").statusCode()).isEqualTo(404);
  }
}
