package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.ManagedProcess;
import dev.plonk.devstack.Nats;
import dev.plonk.devstack.Net;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded, seeded fuzz of the whole gateway over loopback: {@value #REQUESTS} mutated requests (one connection
 * each, output half-closed after the request), against a gateway JVM of its own running with paranoid leak
 * detection. Every reply must be HTTP/1.x status lines below 500 or a clean close, {@code /healthz} must stay 200,
 * and after a forced GC and more traffic the gateway's log must hold no leak report.
 */
@DevStackTest(nats = true)
class GatewayFuzzIT {
  /** Fixed, so CI repeats one corpus; -Dplonk.fuzz.seed=N explores another. */
  private static final long SEED = Long.getLong("plonk.fuzz.seed", 20261125L);
  private static final int REQUESTS = 3000;
  private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("admin:fuzz".getBytes());

  @Test
  void mutatedRequestsGetA4xxOrACleanCloseAndLeakNothing(Kubernetes kubernetes, KubernetesClient client,
      TestNamespace ns, Nats nats, @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("basic-auth-user"), "admin");
    Files.writeString(dir.resolve("basic-auth-password"), "fuzz");
    int port = Net.freePort();
    String url = "http://127.0.0.1:" + port;
    Path log = dir.resolve("gateway.log");
    ManagedProcess gateway = new ManagedProcess("fuzz-gateway", List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-Dio.netty.leakDetection.level=paranoid", "-cp", System.getProperty("java.class.path"),
        GatewayMain.class.getName(), "--port=" + port, "--kubeconfig=" + kubernetes.kubeconfig(),
        "--secret-dir=" + dir, "--endpoint-host=127.0.0.1", "--function-namespace=" + ns.name(),
        "--nats-url=" + nats.url()), log);
    Map<String, Integer> outcomes = new TreeMap<>();
    try (TestUpstream upstream = new TestUpstream("fuzz")) {
      gateway.start();
      Fixtures.service(client, ns.name(), "echo", upstream.port());
      Net.await("the fuzz gateway " + url, Duration.ofSeconds(90), () -> Net.isOk(url + "/healthz"), gateway);
      Fixtures.await(url + "/function/echo." + ns.name(), r -> r.statusCode() == 200);

      FuzzCorpus corpus = new FuzzCorpus(ns.name(), AUTH, SEED);
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < REQUESTS && failures.size() < 5; i++) {
        byte[] request = corpus.next();
        FuzzReply reply = exchange(port, request);
        outcomes.merge(reply.outcome().length() > 20 ? "bad" : reply.outcome(), 1, Integer::sum);
        if (!reply.ok()) {
          failures.add("request #" + i + " " + show(request) + "\n  got: " + reply.outcome());
        }
        if (i % 250 == 0) {
          assertThat(Fixtures.get(url + "/healthz").statusCode()).as("/healthz after " + i + " requests").isEqualTo(200);
        }
      }
      assertThat(failures).as("replies that are not a 4xx/2xx/3xx status line or a clean close (seed " + SEED + ")")
          .isEmpty();
      assertThat(Fixtures.get(url + "/healthz").statusCode()).isEqualTo(200);

      // leaks are reported when a leaked buffer is collected and the detector next samples: GC, then more traffic
      for (int round = 0; round < 2; round++) {
        jcmd(gateway.pid(), "GC.run");
        for (int i = 0; i < 200; i++) {
          exchange(port, corpus.next());
        }
      }
      assertThat(Fixtures.get(url + "/healthz").statusCode()).isEqualTo(200);
    } finally {
      gateway.stop(Duration.ofSeconds(30));
      System.out.println("fuzz outcomes (seed " + SEED + ", " + REQUESTS + " requests): " + outcomes);
    }
    String written = Files.readString(log);
    assertThat(written).as("the gateway ran with paranoid leak detection").doesNotContain("LEAK:");
    assertThat(written).as("no request failed inside the gateway").doesNotContain(" ERROR ", "Exception in thread");
  }

  /** One connection: send, half-close, read everything until the gateway closes (bounded: 15 s). */
  private static FuzzReply exchange(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(15_000);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try {
        socket.getOutputStream().write(request);
        socket.shutdownOutput();
      } catch (SocketException e) {
        // the gateway closed first (it answered an early error); read what it sent
      }
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          got.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        return new FuzzReply(false, "neither a reply nor a close within 15 s; got " + got.size() + " bytes");
      } catch (SocketException e) {
        // reset after the gateway closed with unread input: judge what arrived
      }
      return FuzzReply.judge(got.toByteArray());
    }
  }

  private static void jcmd(long pid, String command) throws Exception {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jcmd.waitFor()).as("jcmd " + command + ": " + out).isZero();
  }

  private static String show(byte[] request) {
    String s = new String(request, StandardCharsets.ISO_8859_1);
    s = s.length() > 300 ? s.substring(0, 300) + "..." : s;
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return out.toString();
  }
}
