package dev.plonk.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Plays the kubelet and the deployment controller: marks every Deployment of a namespace ready unless held. */
final class Kubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-kubelet");
    t.setDaemon(true);
    return t;
  });

  Kubelet(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    timer.scheduleWithFixedDelay(this::syncAll, 0, 200, TimeUnit.MILLISECONDS);
  }

  void hold(String deployment) {
    held.add(deployment);
  }

  void release(String deployment) {
    held.remove(deployment);
  }

  private void syncAll() {
    try {
      for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
        if (!held.contains(d.getMetadata().getName())) {
          sync(d);
        }
      }
    } catch (KubernetesClientException e) {
      // the apiserver may be busy; the next round retries
    }
  }

  private void sync(Deployment d) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    var s = d.getStatus();
    if (s != null && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
        && Objects.equals(s.getReadyReplicas(), replicas) && Objects.equals(s.getReplicas(), replicas)) {
      return;
    }
    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(replicas).withReadyReplicas(replicas).withUpdatedReplicas(replicas).withAvailableReplicas(replicas)
        .build());
    client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
