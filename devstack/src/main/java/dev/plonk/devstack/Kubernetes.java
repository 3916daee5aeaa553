package dev.plonk.devstack;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real etcd + kube-apiserver on loopback: RBAC on, client-certificate authentication against a throwaway CA,
 * service-account signing keys, and a kubeconfig for {@code kubectl}. No kubelet and no controller-manager run.
 */
public final class Kubernetes {
  private final Path dir;
  private final ControlPlaneBinaries binaries;
  private final Pki pki;
  private final int apiPort = Net.freePort();
  private ManagedProcess etcd;
  private ManagedProcess apiServer;
  private Path kubeconfig;
  private KubernetesClient adminClient;

  public Kubernetes(Path dir) {
    this.dir = dir;
    this.binaries = ControlPlaneBinaries.ensure();
    this.pki = new Pki(mkdirs(dir.resolve("pki")));
  }

  public Kubernetes start() {
    int etcdPort = Net.freePort();
    int peerPort = Net.freePort();
    String etcdUrl = "http://127.0.0.1:" + etcdPort;
    String peerUrl = "http://127.0.0.1:" + peerPort;
    etcd = new ManagedProcess("etcd", List.of(binaries.etcd().toString(),
        "--name", "default",
        "--data-dir", mkdirs(dir.resolve("etcd")).toString(),
        "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "default=" + peerUrl,
        "--unsafe-no-fsync", "--log-level", "warn"), dir.resolve("etcd.log")).start();
    Net.await("etcd " + etcdUrl + "/health", Duration.ofSeconds(30), () -> Net.isOk(etcdUrl + "/health"), etcd);

    Pki.CertPair serving = pki.serverCert("apiserver", "DNS:kubernetes", "DNS:kubernetes.default.svc", "IP:10.0.0.1");
    Path saKey = pki.keyPair("service-account");
    apiServer = new ManagedProcess("kube-apiserver", List.of(binaries.kubeApiServer().toString(),
        "--etcd-servers", etcdUrl,
        "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
        "--secure-port", Integer.toString(apiPort),
        "--cert-dir", mkdirs(dir.resolve("certs")).toString(),
        "--tls-cert-file", serving.cert().toString(), "--tls-private-key-file", serving.key().toString(),
        "--client-ca-file", pki.caCert().toString(),
        "--authorization-mode", "RBAC",
        "--service-account-issuer", "https://kubernetes.default.svc",
        "--service-account-key-file", saKey.resolveSibling("service-account.pub").toString(),
        "--service-account-signing-key-file", saKey.toString(),
        "--service-cluster-ip-range", "10.0.0.0/16",
        "--disable-admission-plugins", "ServiceAccount",
        "--allow-privileged=true",
        "--max-requests-inflight", "1000", "--max-mutating-requests-inflight", "500"),
        dir.resolve("kube-apiserver.log")).start();
    kubeconfig = writeKubeconfig("kubeconfig", pki.clientCert("plonk-admin", "system:masters"));
    adminClient = client(kubeconfig);
    Net.await("kube-apiserver /readyz on " + url(), Duration.ofSeconds(90), this::ready, apiServer);
    return this;
  }

  private boolean ready() {
    try {
      return "ok".equals(adminClient.raw("/readyz"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  public String url() {
    return "https://127.0.0.1:" + apiPort;
  }

  /** A kubeconfig with cluster-admin rights (group {@code system:masters}), for {@code kubectl --kubeconfig}. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public KubernetesClient adminClient() {
    return adminClient;
  }

  /** A kubeconfig for another identity: a client certificate with CN {@code user} and O {@code groups}. */
  public Path kubeconfigFor(String user, String... groups) {
    return writeKubeconfig("kubeconfig-" + user, pki.clientCert(user, groups));
  }

  /** A client for another identity; the caller closes it. */
  public KubernetesClient clientFor(String user, String... groups) {
    return client(kubeconfigFor(user, groups));
  }

  public Path kubectl() {
    return binaries.kubectl();
  }

  public void stop() {
    if (adminClient != null) {
      adminClient.close();
    }
    if (apiServer != null) {
      apiServer.stop(Duration.ofSeconds(10));
    }
    if (etcd != null) {
      etcd.stop(Duration.ofSeconds(10));
    }
  }

  public List<ManagedProcess> processes() {
    return List.of(etcd, apiServer);
  }

  private Path writeKubeconfig(String name, Pki.CertPair client) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: plonk-devstack
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: %s
          user:
            client-certificate: %s
            client-key: %s
        contexts:
        - name: plonk-devstack
          context:
            cluster: plonk-devstack
            user: %s
            namespace: default
        current-context: plonk-devstack
        """.formatted(url(), pki.caCert(), name, client.cert(), client.key(), name);
    Path file = dir.resolve(name);
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new DevStackException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  private static KubernetesClient client(Path kubeconfig) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setRequestTimeout(30_000);
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new DevStackException("cannot read " + kubeconfig + ": " + e.getMessage(), e);
    }
  }

  public static Path mkdirs(Path path) {
    try {
      return Files.createDirectories(path);
    } catch (IOException e) {
      throw new DevStackException("cannot create " + path + ": " + e.getMessage(), e);
    }
  }
}
