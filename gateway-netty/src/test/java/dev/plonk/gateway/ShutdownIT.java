package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stop: no new connections, the request in flight still gets its response. */
@DevStackTest
class ShutdownIT {

  @Test
  void drainsTheRequestInFlight(Kubernetes kubernetes, KubernetesClient client, TestNamespace ns) throws Exception {
    try (TestUpstream slow = new TestUpstream("slow")) {
      Gateway gateway = GatewayMain.start("--port=0", "--basic-auth=false", "--kubeconfig=" + kubernetes.kubeconfig(),
          "--endpoint-host=127.0.0.1", "--shutdown-timeout=20s");
      Fixtures.service(client, ns.name(), "slow", slow.port());
      String url = gateway.url() + "/function/slow." + ns.name();
      Fixtures.await(url, r -> r.statusCode() == 200);
      slow.delay(Duration.ofMillis(1500));
      long before = slow.requests();
      CompletableFuture<HttpResponse<String>> inFlight = Fixtures.HTTP.sendAsync(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (slow.requests() == before && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(slow.requests()).as("the call reached the upstream").isGreaterThan(before);

      gateway.close();

      HttpResponse<String> response = inFlight.get(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).startsWith("slow GET /");
      assertThatThrownBy(() -> new Socket("127.0.0.1", gateway.port()).close()).isInstanceOf(IOException.class);
    }
  }
}
