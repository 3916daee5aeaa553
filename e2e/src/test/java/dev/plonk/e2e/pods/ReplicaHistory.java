package dev.plonk.e2e.pods;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every change of {@code spec.replicas} of some Deployments, as the apiserver recorded it: a watch sees each written
 * version, and the managedFields of that version name who owns {@code spec.replicas}, i.e. who wrote the value
 * (an updater that changes a field takes it over). Nothing is sampled, so nothing is missed between two polls.
 */
final class ReplicaHistory implements AutoCloseable {
  /** One change: the new value and the owners of the field then ({@code manager}, {@code manager/subresource}). */
  record Change(int replicas, Set<String> owners) {
    @Override
    public String toString() {
      return replicas + " by " + (owners.isEmpty() ? "nobody (defaulted)" : String.join("+", owners));
    }
  }

  private final Map<String, List<Change>> changes = new ConcurrentHashMap<>();
  private final Watch watch;

  ReplicaHistory(KubernetesClient client, String namespace, Set<String> deployments) {
    watch = client.apps().deployments().inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Deployment d) {
        if (action != Action.DELETED && deployments.contains(d.getMetadata().getName())) {
          record(d);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // a closed watch would miss changes: the assertions then fail on the gap, and the message says why
        changes.computeIfAbsent("watch closed: " + cause.getMessage(), k -> new CopyOnWriteArrayList<>());
      }
    });
  }

  private void record(Deployment d) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    List<Change> seen = changes.computeIfAbsent(d.getMetadata().getName(), k -> new CopyOnWriteArrayList<>());
    if (seen.isEmpty() || seen.get(seen.size() - 1).replicas() != replicas) {
      seen.add(new Change(replicas, owners(d)));
    }
  }

  private static Set<String> owners(Deployment d) {
    Set<String> owners = new TreeSet<>();
    for (ManagedFieldsEntry entry : d.getMetadata().getManagedFields()) {
      Object spec = entry.getFieldsV1() == null ? null : entry.getFieldsV1().getAdditionalProperties().get("f:spec");
      if (spec instanceof Map<?, ?> fields && fields.containsKey("f:replicas")) {
        owners.add(entry.getManager() + (entry.getSubresource() == null || entry.getSubresource().isEmpty() ? ""
            : "/" + entry.getSubresource()));
      }
    }
    return owners;
  }

  /** The changes of one Deployment's replicas, in order. */
  List<Change> of(String deployment) {
    return List.copyOf(changes.getOrDefault(deployment, List.of()));
  }

  @Override
  public String toString() {
    return changes.toString();
  }

  @Override
  public void close() {
    watch.close();
  }
}
