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
 * A real etcd + kube-apiserver: RBAC and the Node authorizer on, client-certificate authentication against a throwaway
 * CA, service-account signing keys, and a kubeconfig for {@code kubectl}. Alone it listens on loopback and admits pods
 * without service accounts (no controller-manager makes them). For a {@link Node} it listens on the host end of the
 * node's veth instead, so the kubelet and pods reach it, and it runs the ServiceAccount and NodeRestriction admission.
 */
public final class Kubernetes {
  private final Path dir;
  private final ControlPlaneBinaries binaries;
  private final Pki pki;
  private final int apiPort = Net.freePort();
  private final String address;
  private final boolean forNode;
  private Path serviceAccountKey;
  private ManagedProcess etcd;
  private ManagedProcess apiServer;
  private Path kubeconfig;
  private KubernetesClient adminClient;

  public Kubernetes(Path dir) {
    this(dir, null);
  }

  /** An apiserver for {@code node} (listening on its host veth address), or on loopback when {@code node} is null. */
  public Kubernetes(Path dir, NodeAddresses node) {
    this.dir = dir;
    this.address = node == null ? "127.0.0.1" : node.hostIp();
    this.forNode = node != null;
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

    Pki.CertPair serving = pki.serverCert("apiserver", "DNS:kubernetes", "DNS:kubernetes.default.svc",
        "DNS:kubernetes.default.svc.cluster.local", "IP:10.0.0.1", "IP:" + address);
    Path saKey = pki.keyPair("service-account");
    serviceAccountKey = saKey;
    List<String> command = new java.util.ArrayList<>(List.of(binaries.kubeApiServer().toString(),
        "--etcd-servers", etcdUrl,
        "--bind-address", address, "--advertise-address", address,
        "--secure-port", Integer.toString(apiPort),
        "--cert-dir", mkdirs(dir.resolve("certs")).toString(),
        "--tls-cert-file", serving.cert().toString(), "--tls-private-key-file", serving.key().toString(),
        "--client-ca-file", pki.caCert().toString(),
        "--authorization-mode", "Node,RBAC",
        "--service-account-issuer", "https://kubernetes.default.svc",
        "--service-account-key-file", saKey.resolveSibling("service-account.pub").toString(),
        "--service-account-signing-key-file", saKey.toString(),
        "--service-cluster-ip-range", "10.0.0.0/16",
        "--allow-privileged=true",
        "--max-requests-inflight", "1000", "--max-mutating-requests-inflight", "500"));
    if (forNode) {
      Pki.CertPair kubeletClient = pki.clientCert("kube-apiserver-kubelet-client", "system:masters");
      command.addAll(List.of("--enable-admission-plugins", "NodeRestriction",
          "--kubelet-client-certificate", kubeletClient.cert().toString(),
          "--kubelet-client-key", kubeletClient.key().toString(),
          "--kubelet-preferred-address-types", "InternalIP",
          // admission webhooks (Linkerd's proxy injector and policy validator) are called on their pods' IPs, which
          // the host routes to the node; a ClusterIP is not routed from the host and would leave through its default
          // route (here: a TLS-intercepting egress proxy answered, and injection silently failed open)
          "--enable-aggregator-routing=true"));
    } else {
      command.addAll(List.of("--disable-admission-plugins", "ServiceAccount"));
    }
    apiServer = new ManagedProcess("kube-apiserver", command, dir.resolve("kube-apiserver.log")).start();
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
    return "https://" + address + ":" + apiPort;
  }

  /** The CA every devstack certificate is signed by (clients and kubelets trust it). */
  public Path caCert() {
    return pki.caCert();
  }

  /** The private key the apiserver verifies service-account tokens with (the controller-manager signs with it). */
  public Path serviceAccountKey() {
    return serviceAccountKey;
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
