package dev.plonk.gateway.routing;

import dev.plonk.mesh.router.Split;
import dev.plonk.mesh.router.SplitReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.smi_spec.split.v1alpha2.TrafficSplit;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the cluster says about functions, kept current by informers on all namespaces: Services (does a function
 * exist, which port), EndpointSlices (ready endpoints per Service), TrafficSplits and HTTPRoutes (weights per apex).
 * Lookups are lock-free map reads; an informer event replaces whole immutable values, so calls in flight are unaffected.
 */
public final class RoutingTable implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoutingTable.class);
  private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private static final java.time.Duration CRD_RETRY = java.time.Duration.ofSeconds(5);

  private final String endpointHost;
  private final FunctionNamespaces namespaces;
  private KubernetesClient client;
  private ScheduledExecutorService retry;
  private boolean trafficSplitsWatched;
  private boolean httpRoutesWatched;
  private boolean warned;
  private boolean closed;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, Integer> servicePorts = new ConcurrentHashMap<>();
  private final Map<String, Map<String, List<InetSocketAddress>>> slicesByService = new ConcurrentHashMap<>();
  private final Map<String, Endpoints> endpoints = new ConcurrentHashMap<>();
  private final Map<String, Split> trafficSplits = new ConcurrentHashMap<>();
  private final Map<String, Split> httpRoutes = new ConcurrentHashMap<>();
  private final Map<String, SmoothWeightedBalancer> splits = new ConcurrentHashMap<>();

  /**
   * @param endpointHost dial this host instead of each endpoint's address (port unchanged), or null
   * @param namespaces   the served namespaces: nothing elsewhere is ever found
   */
  public RoutingTable(String endpointHost, FunctionNamespaces namespaces) {
    this.endpointHost = endpointHost;
    this.namespaces = namespaces;
  }

  /** Starts the informers and waits for their first list. Splits are read only if their CRDs are installed. */
  public RoutingTable start(KubernetesClient client, boolean readSplits) {
    informers.add(client.services().inAnyNamespace().inform(handler(this::putService, this::removeService), 0));
    informers.add(client.discovery().v1().endpointSlices().inAnyNamespace()
        .inform(handler(this::putSlice, this::removeSlice), 0));
    if (readSplits) {
      this.client = client;
      startSplitInformers();
    }
    return this;
  }

  /** Starts the split informers whose CRDs exist; retries the others every few seconds until their CRD appears. */
  private synchronized void startSplitInformers() {
    if (closed) {
      return;
    }
    if (!trafficSplitsWatched && client.supports(TrafficSplit.class)) {
      informers.add(client.resources(TrafficSplit.class).inAnyNamespace()
          .inform(handler(this::putTrafficSplit, this::removeTrafficSplit), 0));
      trafficSplitsWatched = true;
    }
    if (!httpRoutesWatched && client.supports(HTTPRoute.class)) {
      informers.add(client.resources(HTTPRoute.class).inAnyNamespace()
          .inform(handler(this::putHttpRoute, this::removeHttpRoute), 0));
      httpRoutesWatched = true;
    }
    if (!trafficSplitsWatched || !httpRoutesWatched) {
      if (!warned) {
        LOG.warn("{} not installed yet: those splits are ignored until the CRD appears (checked every {} s)",
            !trafficSplitsWatched && !httpRoutesWatched ? "TrafficSplit (split.smi-spec.io) and HTTPRoute "
                + "(gateway.networking.k8s.io/v1) are" : !trafficSplitsWatched ? "TrafficSplit (split.smi-spec.io) is"
                : "HTTPRoute (gateway.networking.k8s.io/v1) is", CRD_RETRY.toSeconds());
        warned = true;
      }
      if (retry == null) {
        retry = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "plonk-gateway-crd-retry");
          t.setDaemon(true);
          return t;
        });
      }
      retry.schedule(this::retrySplitInformers, CRD_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    } else if (warned) {
      LOG.info("split CRDs are installed now: reading TrafficSplits and HTTPRoutes");
    }
  }

  private void retrySplitInformers() {
    try {
      startSplitInformers();
    } catch (RuntimeException e) {
      LOG.warn("cannot start the split informers yet ({}); retrying", e.toString());
      retry.schedule(this::retrySplitInformers, CRD_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The port of function Service {@code ns/name}, if it exists in a served namespace (see {@link FunctionServices}). */
  public Optional<Integer> servicePort(String namespace, String name) {
    return namespaces.serves(namespace) ? Optional.ofNullable(servicePorts.get(key(namespace, name))) : Optional.empty();
  }

  /** Ready endpoints of a function Service in a served namespace; none for any other Service. */
  public Endpoints endpoints(String namespace, String service) {
    String key = key(namespace, service);
    return namespaces.serves(namespace) && servicePorts.containsKey(key) ? endpoints.getOrDefault(key, Endpoints.NONE)
        : Endpoints.NONE;
  }

  /** The split for apex {@code ns/name} in a served namespace: an HTTPRoute wins over a TrafficSplit of the same apex. */
  public Optional<SmoothWeightedBalancer> split(String namespace, String apex) {
    return namespaces.serves(namespace) ? Optional.ofNullable(splits.get(key(namespace, apex))) : Optional.empty();
  }

  // ---- informer callbacks: each replaces whole values

  private void putService(Service service) {
    if (!FunctionServices.routable(service)) {
      servicePorts.remove(key(service));
      return;
    }
    var ports = service.getSpec() == null ? null : service.getSpec().getPorts();
    int port = ports == null || ports.isEmpty() || ports.get(0).getPort() == null ? 8080 : ports.get(0).getPort();
    servicePorts.put(key(service), port);
  }

  private void removeService(Service service) {
    servicePorts.remove(key(service));
  }

  private void putSlice(EndpointSlice slice) {
    String service = slice.getMetadata().getLabels() == null ? null
        : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
    if (service == null) {
      return;
    }
    List<InetSocketAddress> ready = new ArrayList<>();
    Integer port = slice.getPorts() == null || slice.getPorts().isEmpty() ? null : slice.getPorts().get(0).getPort();
    if (port != null && slice.getEndpoints() != null) {
      for (Endpoint endpoint : slice.getEndpoints()) {
        boolean isReady = endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
            || endpoint.getConditions().getReady();
        if (isReady && endpoint.getAddresses() != null && !endpoint.getAddresses().isEmpty()) {
          ready.add(new InetSocketAddress(endpointHost != null ? endpointHost : endpoint.getAddresses().get(0), port));
        }
      }
    }
    String serviceKey = key(slice.getMetadata().getNamespace(), service);
    slicesByService.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>()).put(slice.getMetadata().getName(), ready);
    rebuildEndpoints(serviceKey);
  }

  private void removeSlice(EndpointSlice slice) {
    String service = slice.getMetadata().getLabels() == null ? null
        : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
    if (service == null) {
      return;
    }
    String serviceKey = key(slice.getMetadata().getNamespace(), service);
    Map<String, List<InetSocketAddress>> slices = slicesByService.get(serviceKey);
    if (slices != null) {
      slices.remove(slice.getMetadata().getName());
    }
    rebuildEndpoints(serviceKey);
  }

  private void rebuildEndpoints(String serviceKey) {
    List<InetSocketAddress> all = new ArrayList<>();
    slicesByService.getOrDefault(serviceKey, Map.of()).values().forEach(all::addAll);
    endpoints.put(serviceKey, new Endpoints(all));
  }

  private void putTrafficSplit(TrafficSplit ts) {
    SplitReader.fromTrafficSplit(ts).ifPresentOrElse(s -> trafficSplits.put(key(ts), s), () -> trafficSplits.remove(key(ts)));
    rebuildSplits(ts.getMetadata().getNamespace());
  }

  private void removeTrafficSplit(TrafficSplit ts) {
    trafficSplits.remove(key(ts));
    rebuildSplits(ts.getMetadata().getNamespace());
  }

  private void putHttpRoute(HTTPRoute route) {
    SplitReader.fromHttpRoute(route).ifPresentOrElse(s -> httpRoutes.put(key(route), s), () -> httpRoutes.remove(key(route)));
    rebuildSplits(route.getMetadata().getNamespace());
  }

  private void removeHttpRoute(HTTPRoute route) {
    httpRoutes.remove(key(route));
    rebuildSplits(route.getMetadata().getNamespace());
  }

  /** Recomputes the effective split of every apex in a namespace; an unchanged split keeps its balancer state. */
  private synchronized void rebuildSplits(String namespace) {
    Map<String, Split> effective = new java.util.HashMap<>();
    String prefix = namespace + "/";
    trafficSplits.forEach((k, s) -> {
      if (k.startsWith(prefix)) {
        effective.put(key(namespace, s.apex()), s);
      }
    });
    httpRoutes.forEach((k, s) -> {
      if (k.startsWith(prefix)) {
        effective.put(key(namespace, s.apex()), s);
      }
    });
    splits.keySet().removeIf(k -> k.startsWith(prefix) && !effective.containsKey(k));
    effective.forEach((apexKey, split) -> {
      SmoothWeightedBalancer existing = splits.get(apexKey);
      if (existing == null || !existing.backends().equals(split.backends())) {
        splits.put(apexKey, new SmoothWeightedBalancer(split.backends()));
        LOG.info("split {} from {}: {}", apexKey, split.source(), split.backends());
      }
    });
  }

  private static String key(HasMetadata resource) {
    return key(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> put, Consumer<T> remove) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        put.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        put.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        remove.accept(obj);
      }
    };
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (retry != null) {
      retry.shutdownNow();
    }
    informers.forEach(SharedIndexInformer::close);
  }
}
