package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Pki;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS listener with client certificates required, and certificate reload. */
@DevStackTest
class MtlsIT {

  @Test
  void clientWithoutCertificateIsRefusedAndOneWithCertificateIsServed(Kubernetes kubernetes, @TempDir Path dir)
      throws Exception {
    Pki pki = new Pki(dir);
    Pki.CertPair server = pki.serverCert("gateway-one");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.copy(server.cert(), cert);
    Files.copy(server.key(), key);
    Pki.CertPair client = pki.clientCert("caller");
    Path p12 = pkcs12(dir, client);

    try (Gateway gateway = GatewayMain.start("--port=0", "--basic-auth=false", "--kubeconfig=" + kubernetes.kubeconfig(),
        "--tls-cert=" + cert, "--tls-key=" + key, "--tls-client-ca=" + pki.caCert(), "--tls-reload-interval=200ms")) {
      String url = gateway.url() + "/healthz";
      assertThat(url).startsWith("https://127.0.0.1:");

      HttpClient anonymous = client(sslContext(pki.caCert(), null));
      assertThatThrownBy(() -> anonymous.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);

      HttpResponse<String> served = client(sslContext(pki.caCert(), p12)).send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(peerName(served)).contains("CN=gateway-one");

      // a new certificate on disk is picked up by new connections
      Pki.CertPair renewed = pki.serverCert("gateway-two");
      Files.copy(renewed.key(), key, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(renewed.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
      String name = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!name.contains("CN=gateway-two") && System.nanoTime() < deadline) {
        Thread.sleep(200);
        name = peerName(client(sslContext(pki.caCert(), p12)).send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      assertThat(name).contains("CN=gateway-two");
    }
  }

  private static String peerName(HttpResponse<?> response) throws Exception {
    return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSubjectX500Principal()
        .getName();
  }

  private static HttpClient client(SSLContext ssl) {
    return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  static Path pkcs12(Path dir, Pki.CertPair pair) throws Exception {
    Path p12 = dir.resolve("client.p12");
    Process openssl = new ProcessBuilder("openssl", "pkcs12", "-export", "-in", pair.cert().toString(), "-inkey",
        pair.key().toString(), "-out", p12.toString(), "-passout", "pass:changeit").redirectErrorStream(true).start();
    String output = new String(openssl.getInputStream().readAllBytes());
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).as(output).isZero();
    return p12;
  }

  static SSLContext sslContext(Path caCert, Path p12) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caCert)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (p12 != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(p12)) {
        keys.load(in, "changeit".toCharArray());
      }
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, "changeit".toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }
}
