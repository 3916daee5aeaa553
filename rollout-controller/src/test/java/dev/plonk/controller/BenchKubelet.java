package dev.plonk.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The benchmark's kubelet stand-in: an informer marks every changed Deployment of a namespace ready. */
final class BenchKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private final SharedIndexInformer<Deployment> informer;

  BenchKubelet(KubernetesClient client, String namespace) {
    this.client = client;
    informer = client.apps().deployments().inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Deployment d) {
        workers.submit(() -> sync(d));
      }

      @Override
      public void onUpdate(Deployment old, Deployment d) {
        workers.submit(() -> sync(d));
      }

      @Override
      public void onDelete(Deployment d, boolean unknown) {
      }
    }, 60_000);
  }

  private void sync(Deployment d) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    var s = d.getStatus();
    if (s != null && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
        && Objects.equals(s.getReadyReplicas(), replicas) && Objects.equals(s.getReplicas(), replicas)) {
      return;
    }
    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(replicas)
        .withReadyReplicas(replicas).withUpdatedReplicas(replicas).withAvailableReplicas(replicas).build());
    try {
      client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).updateStatus();
    } catch (KubernetesClientException e) {
      // a newer version is on its way through the informer; it will be synced then
    }
  }

  @Override
  public void close() {
    informer.close();
    workers.shutdownNow();
  }
}
