package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets its status and a body that says what was wrong. */
@DevStackTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
  private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("admin:s3cret".getBytes());
  private Gateway gateway;
  private TestUpstream slow;

  @BeforeAll
  void start(Kubernetes kubernetes, @TempDir Path secrets) throws Exception {
    Files.writeString(secrets.resolve("basic-auth-user"), "admin\n");
    Files.writeString(secrets.resolve("basic-auth-password"), "s3cret\n");
    slow = new TestUpstream("slow");
    slow.delay(Duration.ofSeconds(3));
    gateway = GatewayMain.start("--port=0", "--kubeconfig=" + kubernetes.kubeconfig(), "--endpoint-host=127.0.0.1",
        "--secret-dir=" + secrets, "--response-timeout=1s", "--idle-timeout=1s", "--read-timeout=1s",
        "--max-header-bytes=8192");
  }

  @AfterAll
  void stop() {
    gateway.close();
    slow.close();
  }

  private RawHttp.Response raw(String request) throws Exception {
    try (RawHttp http = new RawHttp(gateway.url())) {
      http.send(request);
      return http.read();
    }
  }

  private HttpResponse<String> send(String method, String path, String body, String auth) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return Fixtures.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void malformedRequestLine() throws Exception {
    RawHttp.Response response = raw("THIS IS NOT HTTP\r\n\r\n");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("malformed HTTP request");
  }

  @Test
  void oversizedBody() throws Exception {
    RawHttp.Response response = raw("POST /function/any HTTP/1.1\r\nHost: x\r\nContent-Length: " + (21 * 1024 * 1024)
        + "\r\n\r\n");
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.body()).contains("larger than the limit of 20971520 bytes");
  }

  @Test
  void oversizedHeaders() throws Exception {
    RawHttp.Response response = raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n");
    assertThat(response.status()).isEqualTo(431);
    assertThat(response.body()).contains("headers are larger than 8192 bytes");
  }

  @Test
  void overlongRequestLine() throws Exception {
    RawHttp.Response response = raw("GET /function/x?" + "q".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response.status()).isEqualTo(414);
    assertThat(response.body()).contains("request line is longer than 8192 bytes");
  }

  @Test
  void badPercentEncodingInTheQueryIs400WithJson() throws Exception {
    RawHttp.Response response = raw("GET /system/functions?x=%\u00ffz HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH
        + "\r\n\r\n");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).isEqualTo("application/json");
    assertThat(response.body()).contains("\"status\":400", "printable ASCII");
    RawHttp.Response truncated = raw("GET /system/functions?namespace=%4 HTTP/1.1\r\nHost: x\r\nAuthorization: "
        + AUTH + "\r\n\r\n");
    assertThat(truncated.status()).isEqualTo(400);
    assertThat(truncated.body()).contains("bad percent-encoding in the query");
  }

  @Test
  void badUtf8InThePathOrQueryIs400WithJson() throws Exception {
    RawHttp.Response path = raw("GET /function/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(path.status()).isEqualTo(400);
    assertThat(path.body()).contains("not valid UTF-8");
    RawHttp.Response query = raw("GET /function/echo?q=%c3%28 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(query.status()).isEqualTo(400);
    assertThat(query.body()).contains("not valid UTF-8");
    RawHttp.Response system = raw("GET /system/function/%e2%82?namespace=x HTTP/1.1\r\nHost: x\r\nAuthorization: "
        + AUTH + "\r\n\r\n");
    assertThat(system.status()).isEqualTo(400);
  }

  @Test
  void http2PriorKnowledgeGetsA400OnAnHttp11StatusLineAndAClose() throws Exception {
    try (RawHttp http = new RawHttp(gateway.url())) {
      http.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
      RawHttp.Response response = http.read();
      assertThat(response.head()).startsWith("HTTP/1.1 400 ");
      assertThat(response.body()).contains("HTTP/2.0 is not supported");
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void aTransferCodingOtherThanChunkedIsRefusedBeforeAnyFunctionSeesIt(KubernetesClient client, TestNamespace ns)
      throws Exception {
    try (TestUpstream upstream = new TestUpstream("framing")) {
      Fixtures.service(client, ns.name(), "framing", upstream.port());
      String path = "/function/framing." + ns.name();
      Fixtures.await(gateway.url() + path, r -> r.statusCode() == 200);
      long served = upstream.requests();
      // from the fuzz corpus: an unknown coding before chunked, and a mangled one with a chunked body after it
      for (String te : List.of("Transfer-Encoding: zzit HTTP/1.1\r\nTransfer-Encoding: chunked",
          "Transfer-Encoding: chu\u0002Ynked", "Transfer-Encoding: gzip, chunked")) {
        try (RawHttp http = new RawHttp(gateway.url())) {
          http.send("POST " + path + " HTTP/1.1\r\nHost: gw\r\n" + te + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
          RawHttp.Response response = http.read();
          assertThat(response.head()).as(te).startsWith("HTTP/1.1 400 ");
          // the mangled one is refused by the codec's header validation first, the others by RequestFramingHandler
          assertThat(response.body()).contains("Transfer-Encoding");
          assertThat(http.closedByServer()).isTrue();
        }
      }
      assertThat(upstream.requests()).isEqualTo(served);
      RawHttp.Response chunked = raw("POST " + path + " HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n0\r\n\r\n");
      assertThat(chunked.head()).startsWith("HTTP/1.1 200 ");
      assertThat(upstream.last().body()).asString().isEqualTo("hello");
    }
  }

  @Test
  void unknownFunction(TestNamespace ns) throws Exception {
    HttpResponse<String> response = send("GET", "/function/nothere." + ns.name(), null, null);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("function nothere." + ns.name() + " not found");
  }

  @Test
  void invalidFunctionName() throws Exception {
    HttpResponse<String> response = send("GET", "/function/Bad_Name", null, null);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("invalid function name 'Bad_Name'").contains("DNS-1035");
  }

  /** Found by GatewayFuzzIT: a name no function can have reached Kubernetes, which answered 500 (so we said 502). */
  @Test
  void systemCallsRefuseANameNoFunctionCanHaveBeforeAskingKubernetes(TestNamespace ns) throws Exception {
    String q = "?namespace=" + ns.name();
    for (String call : List.of("GET /system/function/e%00cho" + q, "GET /system/function/Echo" + q,
        "GET /system/logs" + q + "&name=e%2fcho", "POST /system/scale-function/e%20cho" + q)) {
      String[] methodAndPath = call.split(" ", 2);
      HttpResponse<String> response = send(methodAndPath[0], methodAndPath[1], "{\"replicas\":1}", AUTH);
      assertThat(response.statusCode()).as(call).isEqualTo(400);
      assertThat(response.body()).as(call).startsWith("{").contains("invalid function name").contains("DNS-1035");
    }
    HttpResponse<String> delete = send("DELETE", "/system/functions", "{\"functionName\":\"../echo\",\"namespace\":\""
        + ns.name() + "\"}", AUTH);
    assertThat(delete.statusCode()).isEqualTo(400);
    assertThat(delete.body()).contains("invalid function name '../echo'");
  }

  @Test
  void badJsonOnDeploy() throws Exception {
    HttpResponse<String> response = send("POST", "/system/functions", "{not json", AUTH);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("not valid JSON");
  }

  @Test
  void deployMissingItsImage(TestNamespace ns) throws Exception {
    HttpResponse<String> response = send("POST", "/system/functions",
        "{\"service\":\"noimage\",\"namespace\":\"" + ns.name() + "\"}", AUTH);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("has no 'image'");
  }

  @Test
  void noAuth() throws Exception {
    HttpResponse<String> response = send("GET", "/system/functions", null, null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    assertThat(response.body()).contains("no Authorization header was sent");
    assertThat(send("GET", "/system/nope", null, null).statusCode()).as("even unknown /system paths").isEqualTo(401);
  }

  @Test
  void wrongAuth() throws Exception {
    String wrong = "Basic " + Base64.getEncoder().encodeToString("admin:guess".getBytes());
    HttpResponse<String> response = send("GET", "/system/functions", null, wrong);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(response.body()).contains("credentials in the Authorization header are wrong");
  }

  @Test
  void upstreamDown(KubernetesClient client, TestNamespace ns) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Fixtures.service(client, ns.name(), "down", closedPort);
    String path = "/function/down." + ns.name();
    HttpResponse<String> response = Fixtures.await(gateway.url() + path, r -> r.statusCode() != 404 && r.statusCode() != 503);
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("cannot connect to 127.0.0.1:" + closedPort).contains("after 3 attempts");
  }

  @Test
  void noReadyEndpoint(KubernetesClient client, TestNamespace ns) throws Exception {
    Fixtures.service(client, ns.name(), "unready", slow.port());
    Fixtures.endpoints(client, ns.name(), "unready", slow.port(), false);
    HttpResponse<String> response = Fixtures.await(gateway.url() + "/function/unready." + ns.name(),
        r -> r.statusCode() == 503);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("no ready endpoint");
  }

  @Test
  void upstreamTimeout(KubernetesClient client, TestNamespace ns) throws Exception {
    Fixtures.service(client, ns.name(), "slow", slow.port());
    HttpResponse<String> response = Fixtures.await(gateway.url() + "/function/slow." + ns.name(),
        r -> r.statusCode() != 404 && r.statusCode() != 503);
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body()).contains("did not answer within 1000 ms");
  }

  @Test
  void slowClientIsDisconnected() throws Exception {
    try (RawHttp http = new RawHttp(gateway.url())) {
      http.send("GET /healthz HTTP/1.1\r\nHost: x\r\n"); // headers never finished
      assertThat(http.closedByServer()).as("the gateway closes a connection whose headers stall").isTrue();
    }
  }

  @Test
  void http10WithoutKeepAliveIsServedAndClosed() throws Exception {
    try (RawHttp http = new RawHttp(gateway.url())) {
      http.send("GET /healthz HTTP/1.0\r\n\r\n");
      RawHttp.Response response = http.read();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.head()).startsWith("HTTP/1.0 200");
      assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(response.body()).isEqualTo("OK\n");
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void nonPostToAsyncFunction() throws Exception {
    HttpResponse<String> response = send("GET", "/async-function/echo", null, null);
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("POST");
    assertThat(response.body()).contains("GET is not allowed on /async-function");
  }

  @Test
  void unknownRoute() throws Exception {
    HttpResponse<String> response = send("GET", "/nope", null, null);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("no route for /nope");
  }
}
