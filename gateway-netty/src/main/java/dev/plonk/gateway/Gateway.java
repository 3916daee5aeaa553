package dev.plonk.gateway;

import dev.plonk.gateway.async.AsyncHandler;
import dev.plonk.gateway.async.AsyncPublisher;
import dev.plonk.gateway.http.Authenticated;
import dev.plonk.gateway.http.BasicAuth;
import dev.plonk.gateway.http.ConnectionLimitHandler;
import dev.plonk.gateway.http.Exchange;
import dev.plonk.gateway.http.Responses;
import io.netty.handler.codec.http.HttpResponseStatus;
import dev.plonk.gateway.http.GatewayChannelInitializer;
import dev.plonk.gateway.http.HealthHandler;
import dev.plonk.gateway.http.InFlight;
import dev.plonk.gateway.http.RequestDispatcher.Mount;
import dev.plonk.gateway.http.RequestDispatcher;
import dev.plonk.gateway.metrics.GatewayMetrics;
import dev.plonk.gateway.metrics.MetricsHandler;
import dev.plonk.gateway.proxy.ProxyHandler;
import dev.plonk.gateway.http.RouteHandler;
import dev.plonk.gateway.provider.FunctionProvider;
import dev.plonk.gateway.provider.kubernetes.KubernetesFunctionProvider;
import dev.plonk.gateway.routing.DirectRouter;
import dev.plonk.gateway.routing.FunctionNamespaces;
import dev.plonk.gateway.routing.MeshRouter;
import dev.plonk.gateway.routing.Router;
import dev.plonk.gateway.routing.RoutingTable;
import dev.plonk.gateway.system.SystemApi;
import dev.plonk.gateway.system.SystemRoutes;
import dev.plonk.gateway.tls.ReloadingSslContext;
import dev.plonk.gateway.tls.TlsContexts;
import dev.plonk.http.UpstreamClient;
import dev.plonk.main.StartupRetry;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running gateway, assembled from a {@link GatewayConfig}; {@link #close()} drains and stops it. */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final GatewayConfig config;
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final InFlight inFlight = new InFlight();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final ChannelGroup connections = new DefaultChannelGroup("plonk-gateway", GlobalEventExecutor.INSTANCE);
  private final ExecutorService blocking = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "plonk-gateway-system");
    t.setDaemon(true);
    return t;
  });
  private final GatewayServer server;
  private KubernetesClient kubernetes;
  private FunctionNamespaces namespaces;
  private Router router;
  private UpstreamClient upstream;
  private AsyncPublisher publisher;
  private ScheduledFuture<?> tlsReload;
  private InetSocketAddress address;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Gateway(GatewayConfig config) {
    this.config = config;
    this.server = new GatewayServer(config.ioThreads());
  }

  /** Starts a gateway: informers synced, NATS connected (if configured), listener bound. */
  public static Gateway start(GatewayConfig config) throws Exception {
    Gateway gateway = new Gateway(config);
    try {
      gateway.startComponents();
      return gateway;
    } catch (Exception | Error e) {
      gateway.close();
      throw e;
    }
  }

  private void startComponents() throws Exception {
    BasicAuth auth = basicAuth();
    kubernetes = kubernetesClient();
    RoutingTable table = StartupRetry.within(config.limits().startupTimeout())
        .run("the informers' first lists from Kubernetes", LOG::warn, this::startInformers);
    router = config.routing() == GatewayConfig.Routing.direct ? new DirectRouter(table)
        : new MeshRouter(table, config.clusterDomain(), config.meshProxy());
    ReloadingSslContext serverTls = TlsContexts.server(config.tls());
    ReloadingSslContext upstreamTls = TlsContexts.upstream(config.tls());
    upstream = new UpstreamClient(server.clientChannelType(), config.limits().connectTimeout(),
        config.limits().responseTimeout(), config.limits().maxBodyBytes(), () -> upstreamTls == null ? null : upstreamTls.get());
    if (config.natsUrl() != null) {
      // NATS may start beside the gateway (its pod, its Service's rules): retried like Kubernetes
      publisher = StartupRetry.within(config.limits().startupTimeout()).run("NATS at " + config.natsUrl(), LOG::warn,
          () -> AsyncPublisher.connect(config.natsUrl(), Duration.ofDays(1)));
    }
    FunctionProvider provider = new KubernetesFunctionProvider(kubernetes, namespaces);
    RouteHandler system = new SystemApi(SystemRoutes.all(provider, metrics, config.routing().name()), provider,
        config.functionNamespace(), blocking);
    RequestDispatcher dispatcher = new RequestDispatcher(List.of(
        new Mount(ProxyHandler.PREFIX, new ProxyHandler(router, upstream, metrics, config.functionNamespace())),
        new Mount(AsyncHandler.PREFIX, new AsyncHandler(publisher, router, metrics, config.functionNamespace())),
        new Mount(ProxyHandler.CANARY_PREFIX, auth == null ? Gateway::canaryPathOff
            : new Authenticated(auth, ProxyHandler.canary(router, upstream, metrics, config.functionNamespace()))),
        new Mount("/system/", auth == null ? system : new Authenticated(auth, system)),
        new Mount("/healthz", new HealthHandler(draining::get)),
        new Mount("/metrics", new MetricsHandler(metrics))));
    GatewayChannelInitializer initializer = new GatewayChannelInitializer(config.limits(),
        serverTls == null ? null : serverTls::get,
        new ConnectionLimitHandler(config.limits().maxConnections(), connections), dispatcher, inFlight,
        draining::get);
    if (serverTls != null || upstreamTls != null) {
      long every = config.tls().reloadInterval().toMillis();
      tlsReload = server.workers().next().scheduleAtFixedRate(() -> {
        if (serverTls != null) {
          serverTls.reloadIfChanged();
        }
        if (upstreamTls != null) {
          upstreamTls.reloadIfChanged();
        }
      }, every, every, TimeUnit.MILLISECONDS);
    }
    address = server.bind(config.bindHost(), config.port(), initializer);
  }

  /** Without auth nobody may force a request onto a canary: the load path is closed, not open. */
  private static void canaryPathOff(Exchange exchange) {
    exchange.respond(Responses.error(HttpResponseStatus.FORBIDDEN, "the canary load path " + ProxyHandler.CANARY_PREFIX
        + " is closed because basic auth is off (--basic-auth=false): start the gateway with --secret-dir to let the "
        + "rollout-controller generate load"));
  }

  /** Basic auth for /system: on unless turned off explicitly; on without credentials is refused. */
  private BasicAuth basicAuth() {
    if (!config.basicAuth()) {
      LOG.warn("basic auth is OFF (--basic-auth=false): /system answers anyone who can reach this gateway");
      return null;
    }
    if (config.secretDir() == null) {
      throw new IllegalArgumentException("basic auth is on (the default) but no --secret-dir was given: point "
          + "--secret-dir (PLONK_GATEWAY_SECRET_DIR) at a folder with basic-auth-user and basic-auth-password, or turn "
          + "auth off explicitly with --basic-auth=false");
    }
    BasicAuth auth = BasicAuth.fromSecretDir(config.secretDir());
    LOG.info("basic auth is on for /system (credentials from {})", config.secretDir());
    return auth;
  }

  /**
   * The client, once the apiserver has answered. On a loaded node its first answer may take longer than fabric8's
   * request timeout: each failure is retried with backoff up to {@code --startup-timeout}; only then does the gateway
   * give up (its pod, not Ready meanwhile since nothing listens yet, restarts).
   */
  private KubernetesClient kubernetesClient() throws Exception {
    Config kubeConfig = config.kubeconfig() == null ? Config.autoConfigure(null)
        : Config.fromKubeconfig(Files.readString(config.kubeconfig()));
    KubernetesClient client = new KubernetesClientBuilder().withConfig(kubeConfig).build();
    try {
      StartupRetry.within(config.limits().startupTimeout())
          .run("Kubernetes at " + kubeConfig.getMasterUrl(), LOG::warn, client::getKubernetesVersion);
    } catch (StartupRetry.StartupException e) {
      client.close();
      throw new IllegalStateException("cannot reach Kubernetes at " + kubeConfig.getMasterUrl() + " (" + e.getMessage()
          + "); set KUBECONFIG or --kubeconfig to a reachable cluster", e);
    }
    return client;
  }

  /** The namespace and routing informers, started and listed once; on a failure, closed again (to be retried). */
  private RoutingTable startInformers() {
    FunctionNamespaces started = new FunctionNamespaces(config.functionNamespace());
    RoutingTable table = new RoutingTable(config.endpointHost(), started);
    try {
      started.start(kubernetes);
      table.start(kubernetes, config.routing() == GatewayConfig.Routing.direct);
    } catch (RuntimeException e) {
      table.close();
      started.close();
      throw e;
    }
    namespaces = started;
    return table;
  }

  public int port() {
    return address.getPort();
  }

  /** {@code http://host:port} (or https with TLS), for clients in the same machine. */
  public String url() {
    return (config.tls().serverTls() ? "https" : "http") + "://" + address.getHostString() + ":" + port();
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Stops accepting, drains requests in flight (up to the shutdown timeout) and releases everything. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    draining.set(true);
    if (tlsReload != null) {
      tlsReload.cancel(false);
    }
    server.stop(inFlight, connections, config.limits().shutdownTimeout());
    if (publisher != null) {
      try {
        publisher.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (router != null) {
      router.close();
    }
    if (namespaces != null) {
      namespaces.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
    blocking.shutdownNow();
    LOG.info("stopped");
  }
}
