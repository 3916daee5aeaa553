package dev.plonk.gateway;

import dev.plonk.main.GoDuration;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code java -jar plonk-gateway.jar}: the OpenFaaS-compatible gateway. Every flag has an environment fallback
 * ({@code PLONK_GATEWAY_*}). In-process (tests, other modules): {@link #start(String...)} returns a running
 * {@link Gateway}; close it to drain and stop.
 */
@Command(name = "plonk-gateway", mixinStandardHelpOptions = true, version = "plonk-gateway 0.1.0",
    description = "OpenFaaS-compatible gateway: /function, /async-function, /system, /healthz, /metrics.",
    showDefaultValues = true, sortOptions = false)
public final class GatewayMain implements Callable<Integer> {
  @Option(names = "--bind", defaultValue = "${env:PLONK_GATEWAY_BIND:-127.0.0.1}", description = "Listen address (env PLONK_GATEWAY_BIND).")
  String bind;
  @Option(names = "--port", defaultValue = "${env:PLONK_GATEWAY_PORT:-8080}", description = "Listen port; 0 picks a free one (env PLONK_GATEWAY_PORT).")
  int port;
  @Option(names = "--io-threads", defaultValue = "${env:PLONK_GATEWAY_IO_THREADS:-0}", description = "Event-loop threads serving connections (and their upstream calls); 0: one per core (env PLONK_GATEWAY_IO_THREADS).")
  int ioThreads;
  @Option(names = "--routing", defaultValue = "${env:PLONK_GATEWAY_ROUTING:-direct}", description = "direct (the gateway applies TrafficSplit/HTTPRoute weights over EndpointSlices) or mesh (Linkerd does) (env PLONK_GATEWAY_ROUTING).")
  GatewayConfig.Routing routing;
  @Option(names = "--function-namespace", defaultValue = "${env:PLONK_GATEWAY_FUNCTION_NAMESPACE:-openfaas-fn}", description = "Namespace of functions named without one (env PLONK_GATEWAY_FUNCTION_NAMESPACE).")
  String functionNamespace;
  @Option(names = "--kubeconfig", defaultValue = "${env:PLONK_GATEWAY_KUBECONFIG}", description = "Kubeconfig file; default: fabric8's (KUBECONFIG, ~/.kube/config, in-cluster) (env PLONK_GATEWAY_KUBECONFIG).")
  Path kubeconfig;
  @Option(names = "--endpoint-host", defaultValue = "${env:PLONK_GATEWAY_ENDPOINT_HOST}", description = "Direct mode: dial this host instead of each endpoint address, keeping the port (devstack: 127.0.0.1) (env PLONK_GATEWAY_ENDPOINT_HOST).")
  String endpointHost;
  @Option(names = "--cluster-domain", defaultValue = "${env:PLONK_GATEWAY_CLUSTER_DOMAIN:-cluster.local}", description = "Mesh mode: cluster DNS domain (env PLONK_GATEWAY_CLUSTER_DOMAIN).")
  String clusterDomain;
  @Option(names = "--mesh-proxy", defaultValue = "${env:PLONK_GATEWAY_MESH_PROXY}", description = "Mesh mode: host:port of an HTTP proxy to send calls through instead of resolving <name>.<ns>.svc.<domain> (tests) (env PLONK_GATEWAY_MESH_PROXY).")
  String meshProxy;
  @Option(names = "--nats-url", defaultValue = "${env:PLONK_GATEWAY_NATS_URL}", description = "NATS JetStream URL for /async-function; unset: async calls answer 501 (env PLONK_GATEWAY_NATS_URL).")
  String natsUrl;
  @Option(names = "--basic-auth", negatable = true, arity = "0..1", defaultValue = "${env:PLONK_GATEWAY_BASIC_AUTH:-true}", fallbackValue = "true", description = "Protect /system with basic auth (as OpenFaaS does by default); --basic-auth=false (or --no-basic-auth) turns it off, logged at startup (env PLONK_GATEWAY_BASIC_AUTH).")
  boolean basicAuth;
  @Option(names = "--secret-dir", defaultValue = "${env:PLONK_GATEWAY_SECRET_DIR}", description = "Folder with basic-auth-user and basic-auth-password (as OpenFaaS mounts them); required while --basic-auth is on (env PLONK_GATEWAY_SECRET_DIR).")
  Path secretDir;
  @Option(names = "--max-body-bytes", defaultValue = "${env:PLONK_GATEWAY_MAX_BODY_BYTES:-20971520}", description = "Request (and response) body limit; over it: 413 (env PLONK_GATEWAY_MAX_BODY_BYTES).")
  int maxBodyBytes;
  @Option(names = "--max-header-bytes", defaultValue = "${env:PLONK_GATEWAY_MAX_HEADER_BYTES:-16384}", description = "Request header block limit; over it: 431 (env PLONK_GATEWAY_MAX_HEADER_BYTES).")
  int maxHeaderBytes;
  @Option(names = "--max-request-line-bytes", defaultValue = "${env:PLONK_GATEWAY_MAX_REQUEST_LINE_BYTES:-8192}", description = "Request line limit; over it: 414 (env PLONK_GATEWAY_MAX_REQUEST_LINE_BYTES).")
  int maxInitialLineBytes;
  @Option(names = "--read-timeout", defaultValue = "${env:PLONK_GATEWAY_READ_TIMEOUT:-30s}", converter = GoDuration.Converter.class, description = "Time to receive a whole request once it started; then the connection is closed (env PLONK_GATEWAY_READ_TIMEOUT).")
  Duration readTimeout;
  @Option(names = "--idle-timeout", defaultValue = "${env:PLONK_GATEWAY_IDLE_TIMEOUT:-60s}", converter = GoDuration.Converter.class, description = "Time a connection may sit with no request under way (also bounds slow headers) (env PLONK_GATEWAY_IDLE_TIMEOUT).")
  Duration idleTimeout;
  @Option(names = "--max-connections", defaultValue = "${env:PLONK_GATEWAY_MAX_CONNECTIONS:-10000}", description = "Open client connections; more are closed at once (env PLONK_GATEWAY_MAX_CONNECTIONS).")
  int maxConnections;
  @Option(names = "--connect-timeout", defaultValue = "${env:PLONK_GATEWAY_CONNECT_TIMEOUT:-2s}", converter = GoDuration.Converter.class, description = "Upstream connect timeout (504 when over) (env PLONK_GATEWAY_CONNECT_TIMEOUT).")
  Duration connectTimeout;
  @Option(names = "--response-timeout", defaultValue = "${env:PLONK_GATEWAY_RESPONSE_TIMEOUT:-60s}", converter = GoDuration.Converter.class, description = "Upstream response timeout (504 when over) (env PLONK_GATEWAY_RESPONSE_TIMEOUT).")
  Duration responseTimeout;
  @Option(names = "--startup-timeout", defaultValue = "${env:PLONK_GATEWAY_STARTUP_TIMEOUT:-2m}", converter = GoDuration.Converter.class, description = "At start, how long to keep retrying Kubernetes (a loaded node's apiserver may be slow to answer) before giving up; /healthz is not served meanwhile (env PLONK_GATEWAY_STARTUP_TIMEOUT).")
  Duration startupTimeout;
  @Option(names = "--shutdown-timeout", defaultValue = "${env:PLONK_GATEWAY_SHUTDOWN_TIMEOUT:-30s}", converter = GoDuration.Converter.class, description = "On stop, how long requests in flight may finish (env PLONK_GATEWAY_SHUTDOWN_TIMEOUT).")
  Duration shutdownTimeout;
  @Option(names = "--tls-cert", defaultValue = "${env:PLONK_GATEWAY_TLS_CERT}", description = "PEM certificate chain: serve HTTPS (reloaded when it changes) (env PLONK_GATEWAY_TLS_CERT).")
  Path tlsCert;
  @Option(names = "--tls-key", defaultValue = "${env:PLONK_GATEWAY_TLS_KEY}", description = "PEM PKCS#8 private key of --tls-cert (env PLONK_GATEWAY_TLS_KEY).")
  Path tlsKey;
  @Option(names = "--tls-client-ca", defaultValue = "${env:PLONK_GATEWAY_TLS_CLIENT_CA}", description = "PEM CA bundle: require client certificates signed by it (mTLS) (env PLONK_GATEWAY_TLS_CLIENT_CA).")
  Path tlsClientCa;
  @Option(names = "--upstream-tls", defaultValue = "${env:PLONK_GATEWAY_UPSTREAM_TLS:-false}", description = "Call functions over TLS (env PLONK_GATEWAY_UPSTREAM_TLS).")
  boolean upstreamTls;
  @Option(names = "--upstream-ca", defaultValue = "${env:PLONK_GATEWAY_UPSTREAM_CA}", description = "PEM CA bundle to verify functions' certificates; unset: the JDK's trust store (env PLONK_GATEWAY_UPSTREAM_CA).")
  Path upstreamCa;
  @Option(names = "--upstream-cert", defaultValue = "${env:PLONK_GATEWAY_UPSTREAM_CERT}", description = "PEM client certificate presented to functions (mTLS without a mesh) (env PLONK_GATEWAY_UPSTREAM_CERT).")
  Path upstreamCert;
  @Option(names = "--upstream-key", defaultValue = "${env:PLONK_GATEWAY_UPSTREAM_KEY}", description = "PEM PKCS#8 key of --upstream-cert (env PLONK_GATEWAY_UPSTREAM_KEY).")
  Path upstreamKey;
  @Option(names = "--tls-reload-interval", defaultValue = "${env:PLONK_GATEWAY_TLS_RELOAD_INTERVAL:-5s}", converter = GoDuration.Converter.class, description = "How often certificate files are checked for changes (env PLONK_GATEWAY_TLS_RELOAD_INTERVAL).")
  Duration tlsReloadInterval;

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayMain()).execute(args));
  }

  /** Parses the same flags as the command line and starts a gateway in this JVM. */
  public static Gateway start(String... args) throws Exception {
    GatewayMain main = new GatewayMain();
    new CommandLine(main).parseArgs(args);
    return Gateway.start(main.config());
  }

  @Override
  public Integer call() throws Exception {
    Gateway gateway = Gateway.start(config());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "plonk-gateway-shutdown"));
    System.out.println("plonk-gateway serving on " + gateway.url() + " (routing=" + routing + ")");
    stopped.await();
    return 0;
  }

  GatewayConfig config() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--tls-cert and --tls-key go together; give both or neither");
    }
    if ((upstreamCert == null) != (upstreamKey == null)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--upstream-cert and --upstream-key go together");
    }
    if (tlsClientCa != null && tlsCert == null) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--tls-client-ca (mTLS) needs --tls-cert and --tls-key");
    }
    return new GatewayConfig(bind, port, ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors(), routing, functionNamespace, kubeconfig, blankToNull(endpointHost), clusterDomain,
        parseHostPort(meshProxy), blankToNull(natsUrl), basicAuth, secretDir,
        new GatewayConfig.TlsSettings(tlsCert, tlsKey, tlsClientCa, upstreamTls || upstreamCert != null, upstreamCa,
            upstreamCert, upstreamKey, tlsReloadInterval),
        new GatewayConfig.Limits(maxBodyBytes, maxHeaderBytes, maxInitialLineBytes, readTimeout, idleTimeout,
            maxConnections, connectTimeout, responseTimeout, shutdownTimeout, startupTimeout));
  }

  private InetSocketAddress parseHostPort(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    int colon = value.lastIndexOf(':');
    try {
      return new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--mesh-proxy must be host:port, got '" + value + "'");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
