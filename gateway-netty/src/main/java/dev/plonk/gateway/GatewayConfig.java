package dev.plonk.gateway;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Every setting of one gateway, as parsed by {@link GatewayMain}.
 *
 * @param bindHost           address to listen on
 * @param port               HTTP port (0 picks a free one)
 * @param ioThreads          event-loop threads
 * @param routing            {@code direct} (the gateway applies the weights) or {@code mesh} (Linkerd does)
 * @param functionNamespace  namespace used when a function name carries none
 * @param kubeconfig         kubeconfig file, or null for fabric8's default (KUBECONFIG, ~/.kube/config, in-cluster)
 * @param endpointHost       direct mode: dial this host instead of the endpoint address (port unchanged), or null
 * @param clusterDomain      mesh mode: cluster DNS domain
 * @param meshProxy          mesh mode: connect here (host:port) instead of resolving the service DNS name, or null
 * @param natsUrl            NATS URL for {@code /async-function}, or null to answer 501
 * @param basicAuth          protect {@code /system} with basic auth (the default); false only when asked explicitly
 * @param secretDir          folder with {@code basic-auth-user} and {@code basic-auth-password} (required with auth on)
 * @param tls                TLS settings (server and upstream)
 * @param limits             sizes and timeouts
 */
public record GatewayConfig(
    String bindHost,
    int port,
    int ioThreads,
    Routing routing,
    String functionNamespace,
    Path kubeconfig,
    String endpointHost,
    String clusterDomain,
    InetSocketAddress meshProxy,
    String natsUrl,
    boolean basicAuth,
    Path secretDir,
    TlsSettings tls,
    Limits limits) {

  /** How the gateway reaches a function. */
  public enum Routing { direct, mesh }

  /**
   * Sizes and timeouts; over a size limit the request is answered 413/431, over a timeout the connection closes.
   * {@code startupTimeout} bounds the retries of the first calls to Kubernetes at start.
   */
  public record Limits(
      int maxBodyBytes,
      int maxHeaderBytes,
      int maxInitialLineBytes,
      Duration readTimeout,
      Duration idleTimeout,
      int maxConnections,
      Duration connectTimeout,
      Duration responseTimeout,
      Duration shutdownTimeout,
      Duration startupTimeout) {}

  /**
   * Optional TLS. A null {@code certFile} means plain HTTP; a non-null {@code clientCaFile} requires client
   * certificates (mTLS). The upstream fields turn on TLS towards functions, with a client certificate if given.
   */
  public record TlsSettings(
      Path certFile,
      Path keyFile,
      Path clientCaFile,
      boolean upstreamTls,
      Path upstreamCaFile,
      Path upstreamCertFile,
      Path upstreamKeyFile,
      Duration reloadInterval) {

    public static TlsSettings none() {
      return new TlsSettings(null, null, null, false, null, null, null, Duration.ofSeconds(5));
    }

    public boolean serverTls() {
      return certFile != null;
    }
  }
}
