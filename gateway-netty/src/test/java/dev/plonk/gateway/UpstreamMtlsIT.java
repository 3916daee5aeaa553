package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Pki;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mTLS without a mesh: the gateway calls a function over TLS and presents its client certificate. */
@DevStackTest
class UpstreamMtlsIT {

  @Test
  void theGatewayPresentsItsClientCertificateToTheFunction(Kubernetes kubernetes, KubernetesClient client,
      TestNamespace ns, @TempDir Path dir) throws Exception {
    Pki pki = new Pki(dir);
    Pki.CertPair functionCert = pki.serverCert("function");
    Pki.CertPair gatewayCert = pki.clientCert("plonk-gateway");
    HttpsServer function = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    function.setHttpsConfigurator(new HttpsConfigurator(MtlsIT.sslContext(pki.caCert(),
        MtlsIT.pkcs12(dir, functionCert))) {
      @Override
      public void configure(HttpsParameters params) {
        var ssl = getSSLContext().getDefaultSSLParameters();
        ssl.setNeedClientAuth(true);
        params.setSSLParameters(ssl);
      }
    });
    function.createContext("/", exchange -> {
      SSLSession session = ((com.sun.net.httpserver.HttpsExchange) exchange).getSSLSession();
      String peer = ((java.security.cert.X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal()
          .getName();
      byte[] body = ("client=" + peer).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    function.start();
    try (Gateway gateway = GatewayMain.start("--port=0", "--basic-auth=false", "--kubeconfig=" + kubernetes.kubeconfig(),
        "--endpoint-host=127.0.0.1", "--upstream-tls", "--upstream-ca=" + pki.caCert(),
        "--upstream-cert=" + gatewayCert.cert(), "--upstream-key=" + gatewayCert.key())) {
      Fixtures.service(client, ns.name(), "secure", function.getAddress().getPort());
      HttpResponse<String> response = Fixtures.await(gateway.url() + "/function/secure." + ns.name(),
          r -> r.statusCode() == 200);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("client=CN=plonk-gateway");
    } finally {
      function.stop(0);
    }
  }
}
