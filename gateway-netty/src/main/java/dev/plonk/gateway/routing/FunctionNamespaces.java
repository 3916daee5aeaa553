package dev.plonk.gateway.routing;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The namespaces the gateway serves functions in, kept current by an informer. The rule, compatible with OpenFaaS:
 * the default function namespace ({@code --function-namespace}, served even before it exists), plus every namespace
 * whose annotation or label {@code openfaas} is {@code "1"} or {@code "true"} ({@code kubectl annotate namespace dev
 * openfaas=1}, as the OpenFaaS docs say). faas-netes accepts the annotation with any value; Plonk reads the value so
 * that {@code openfaas=0} opts a namespace out. Removing the annotation (or label) stops serving it at once.
 */
public final class FunctionNamespaces implements AutoCloseable {
  public static final String OPT_IN_KEY = "openfaas";

  private final String defaultNamespace;
  private final Set<String> optedIn = ConcurrentHashMap.newKeySet();
  private SharedIndexInformer<Namespace> informer;

  public FunctionNamespaces(String defaultNamespace) {
    this.defaultNamespace = defaultNamespace;
  }

  /** Starts the namespace informer and waits for its first list. */
  public FunctionNamespaces start(KubernetesClient client) {
    informer = client.namespaces().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Namespace ns) {
        update(ns);
      }

      @Override
      public void onUpdate(Namespace old, Namespace ns) {
        update(ns);
      }

      @Override
      public void onDelete(Namespace ns, boolean unknown) {
        optedIn.remove(ns.getMetadata().getName());
      }
    }, 0);
    return this;
  }

  private void update(Namespace ns) {
    if (optsIn(ns.getMetadata())) {
      optedIn.add(ns.getMetadata().getName());
    } else {
      optedIn.remove(ns.getMetadata().getName());
    }
  }

  /** True if the namespace's metadata opts it in (pure: the rule in one place). */
  public static boolean optsIn(ObjectMeta meta) {
    return isOn(meta.getAnnotations()) || isOn(meta.getLabels());
  }

  private static boolean isOn(Map<String, String> map) {
    String value = map == null ? null : map.get(OPT_IN_KEY);
    return "1".equals(value) || "true".equalsIgnoreCase(value);
  }

  public String defaultNamespace() {
    return defaultNamespace;
  }

  /** True if functions in {@code namespace} may be called, listed, deployed or managed. */
  public boolean serves(String namespace) {
    return defaultNamespace.equals(namespace) || optedIn.contains(namespace);
  }

  /** The served namespaces, sorted. */
  public List<String> served() {
    Set<String> all = new TreeSet<>(optedIn);
    all.add(defaultNamespace);
    return List.copyOf(all);
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
