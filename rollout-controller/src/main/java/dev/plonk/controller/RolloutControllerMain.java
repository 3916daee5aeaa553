package dev.plonk.controller;

import dev.plonk.api.v1alpha1.MetricsObserverKind;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.controller.load.LoadSettings;
import dev.plonk.main.AdminServer;
import dev.plonk.main.GatewayCredentials;
import dev.plonk.main.GoDuration;
import dev.plonk.main.StartupRetry;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The rollout-controller process. */
@Command(name = "plonk-rollout-controller", mixinStandardHelpOptions = true, version = "0.1.0",
    description = "Progressive delivery for functions: reconciles plonk.dev/v1alpha1 Rollouts.")
public final class RolloutControllerMain implements Callable<Integer> {
  @Option(names = "--kubeconfig", defaultValue = "${env:PLONK_CONTROLLER_KUBECONFIG}",
      description = "kubeconfig file (env PLONK_CONTROLLER_KUBECONFIG; default: fabric8's default config, i.e. $KUBECONFIG or ~/.kube/config)")
  Path kubeconfig;

  @Option(names = "--namespaces", split = ",", defaultValue = "${env:PLONK_CONTROLLER_NAMESPACES}",
      description = "comma-separated namespaces to watch (env PLONK_CONTROLLER_NAMESPACES; default: all)")
  List<String> namespaces;

  @Option(names = "--default-provider", defaultValue = "${env:PLONK_CONTROLLER_DEFAULT_PROVIDER:-gatewayapi}",
      description = "router for Rollouts without spec.provider: smi or gatewayapi (env PLONK_CONTROLLER_DEFAULT_PROVIDER; default ${DEFAULT-VALUE})")
  String defaultProvider;

  @Option(names = "--default-metrics-observer", defaultValue = "${env:PLONK_CONTROLLER_DEFAULT_METRICS_OBSERVER:-gateway}",
      description = "observer for Rollouts without spec.analysis.metricsObserver: gateway or linkerd (env PLONK_CONTROLLER_DEFAULT_METRICS_OBSERVER; default ${DEFAULT-VALUE})")
  String defaultObserver;

  @Option(names = "--metrics-server", defaultValue = "${env:PLONK_CONTROLLER_METRICS_SERVER:-http://127.0.0.1:9090}",
      description = "Prometheus URL for Rollouts without spec.analysis.metricsServer (env PLONK_CONTROLLER_METRICS_SERVER; default ${DEFAULT-VALUE})")
  String metricsServer;

  @Option(names = "--query-timeout", defaultValue = "${env:PLONK_CONTROLLER_QUERY_TIMEOUT:-5s}",
      converter = GoDuration.Converter.class,
      description = "timeout of one PromQL query (env PLONK_CONTROLLER_QUERY_TIMEOUT; default ${DEFAULT-VALUE})")
  Duration queryTimeout;

  @Option(names = "--bind", defaultValue = "${env:PLONK_CONTROLLER_BIND:-127.0.0.1}",
      description = "listen address of /healthz, /readyz and /metrics; 0.0.0.0 in a pod (env PLONK_CONTROLLER_BIND; "
          + "default ${DEFAULT-VALUE})")
  String bind;

  @Option(names = "--port", defaultValue = "${env:PLONK_CONTROLLER_PORT:-8086}",
      description = "port of /healthz, /readyz and /metrics (env PLONK_CONTROLLER_PORT; default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--leader-election", negatable = true, defaultValue = "${env:PLONK_CONTROLLER_LEADER_ELECTION:-true}",
      description = "hold a Lease so only one replica reconciles (env PLONK_CONTROLLER_LEADER_ELECTION; default ${DEFAULT-VALUE})")
  boolean leaderElection;

  @Option(names = "--lease-namespace", defaultValue = "${env:PLONK_CONTROLLER_LEASE_NAMESPACE:-default}",
      description = "namespace of the leader-election Lease (env PLONK_CONTROLLER_LEASE_NAMESPACE; default ${DEFAULT-VALUE})")
  String leaseNamespace;

  @Option(names = "--lease-name", defaultValue = "${env:PLONK_CONTROLLER_LEASE_NAME:-plonk-rollout-controller}",
      description = "name of the leader-election Lease (env PLONK_CONTROLLER_LEASE_NAME; default ${DEFAULT-VALUE})")
  String leaseName;

  @Option(names = "--startup-timeout", defaultValue = "${env:PLONK_CONTROLLER_STARTUP_TIMEOUT:-2m}",
      converter = GoDuration.Converter.class,
      description = "at start, how long to keep retrying Kubernetes (a loaded node's apiserver may be slow to answer) "
          + "before giving up; /readyz answers 503 meanwhile (env PLONK_CONTROLLER_STARTUP_TIMEOUT; default ${DEFAULT-VALUE})")
  Duration startupTimeout;

  @Option(names = "--reconcile-threads", defaultValue = "${env:PLONK_CONTROLLER_RECONCILE_THREADS:-16}",
      description = "Rollouts reconciled at once (env PLONK_CONTROLLER_RECONCILE_THREADS; default ${DEFAULT-VALUE})")
  int reconcileThreads;

  @Option(names = "--gateway-url", defaultValue = "${env:PLONK_CONTROLLER_GATEWAY_URL}",
      description = "base URL of the Plonk gateway, where spec.analysis.load sends generated requests (its "
          + "authenticated /system/canary/ path) (env PLONK_CONTROLLER_GATEWAY_URL; default: none, no load generation)")
  String gatewayUrl;

  @Option(names = "--gateway-secret-dir", defaultValue = "${env:PLONK_CONTROLLER_GATEWAY_SECRET_DIR}",
      description = "folder with basic-auth-user and basic-auth-password, the gateway's credentials (its --secret-dir) "
          + "(env PLONK_CONTROLLER_GATEWAY_SECRET_DIR; required with --gateway-url)")
  Path gatewaySecretDir;

  @Option(names = "--load-max-duration", defaultValue = "${env:PLONK_CONTROLLER_LOAD_MAX_DURATION:-1h}",
      converter = GoDuration.Converter.class,
      description = "the longest one analysis is loaded, whatever its spec (env PLONK_CONTROLLER_LOAD_MAX_DURATION; "
          + "default ${DEFAULT-VALUE})")
  Duration loadMaxDuration;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RolloutControllerMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ControllerSettings settings = new ControllerSettings(parseProvider(defaultProvider), parseObserver(defaultObserver),
        metricsServer, ControllerSettings.FIELD_MANAGER, queryTimeout);
    PrometheusRegistry registry = new PrometheusRegistry();
    try (KubernetesClient client = client(new ApiRequestCounter(registry));
        RolloutOperator operator = new RolloutOperator(client, settings, registry,
            namespaces == null ? java.util.Set.of() : new HashSet<>(namespaces), leaderElection ? lease() : null,
            reconcileThreads, loadSettings());
        AdminServer http = new AdminServer("controller", bind, port, registry, () -> null,
            () -> operator.isStarted() && operator.isHealthy() ? null
                : "not ready: the operator has not started or an informer is unhealthy")) {
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "plonk-controller-shutdown"));
      StartupRetry.within(startupTimeout).run("Kubernetes at " + client.getMasterUrl(), System.err::println,
          client::getKubernetesVersion);
      operator.start();
      System.err.println("plonk-rollout-controller: watching " + (namespaces == null ? "all namespaces" : namespaces)
          + " on " + client.getMasterUrl() + "; default provider " + defaultProvider + ", Prometheus " + metricsServer
          + "; health and metrics on http://" + bind + ":" + http.port());
      stop.await();
    }
    return 0;
  }

  LoadSettings loadSettings() {
    if (gatewayUrl == null) {
      return new LoadSettings(null, null, loadMaxDuration);
    }
    if (!gatewayUrl.matches("^https?://[^\\s/]+/?$")) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--gateway-url " + gatewayUrl
          + " is not a base URL: expected e.g. http://gateway.plonk-system:8080");
    }
    if (gatewaySecretDir == null) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--gateway-url needs --gateway-secret-dir (the "
          + "gateway's basic-auth folder): its canary path only answers the gateway's own credentials");
    }
    return new LoadSettings(gatewayUrl, GatewayCredentials.authorization(gatewaySecretDir), loadMaxDuration);
  }

  private LeaderElectionConfiguration lease() {
    String identity = System.getenv().getOrDefault("HOSTNAME", "plonk") + "-" + ProcessHandle.current().pid();
    return new LeaderElectionConfiguration(leaseName, leaseNamespace, Duration.ofSeconds(15), Duration.ofSeconds(10),
        Duration.ofSeconds(2), identity, null, true);
  }

  private KubernetesClient client(ApiRequestCounter counter) throws java.io.IOException {
    KubernetesClientBuilder builder = new KubernetesClientBuilder()
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("plonk-request-counter", counter));
    if (kubeconfig == null) {
      return builder.build();
    }
    if (!Files.isReadable(kubeconfig)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--kubeconfig " + kubeconfig
          + " is not a readable file: pass the path of a kubeconfig or leave it unset to use $KUBECONFIG");
    }
    return builder.withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
  }

  static Provider parseProvider(String value) {
    return switch (value) {
      case "smi" -> Provider.SMI;
      case "gatewayapi" -> Provider.GATEWAY_API;
      default -> throw new IllegalArgumentException("--default-provider " + value + " is unknown: expected smi or gatewayapi");
    };
  }

  static MetricsObserverKind parseObserver(String value) {
    return switch (value) {
      case "gateway" -> MetricsObserverKind.GATEWAY;
      case "linkerd" -> MetricsObserverKind.LINKERD;
      default -> throw new IllegalArgumentException("--default-metrics-observer " + value
          + " is unknown: expected gateway or linkerd");
    };
  }
}
