package dev.plonk.devstack.runtime;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes the ready replicas of the process runtime as EndpointSlices: one slice per Service and replica (a slice's
 * ports are shared by its endpoints, and every replica listens on its own loopback port). The endpoint address is the
 * replica's pod-like IP; the gateway's {@code --endpoint-host} dials loopback instead.
 */
final class EndpointSlices {
  static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  static final String MANAGED_BY = "plonk-devstack";

  private final KubernetesClient client;
  private final Map<String, EndpointSlice> applied = new HashMap<>();

  EndpointSlices(KubernetesClient client) {
    this.client = client;
  }

  void deleteStale() {
    client.discovery().v1().endpointSlices().inAnyNamespace().withLabel(MANAGED_BY_LABEL, MANAGED_BY).delete();
  }

  void reconcile(List<Service> services, Collection<Deployment> deployments, Map<String, List<Replica>> ready) {
    Map<String, EndpointSlice> desired = new HashMap<>();
    for (Service service : services) {
      Map<String, String> selector = service.getSpec().getSelector();
      if (selector == null || selector.isEmpty()) {
        continue;
      }
      String namespace = service.getMetadata().getNamespace();
      for (Deployment deployment : deployments) {
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        if (!namespace.equals(deployment.getMetadata().getNamespace()) || labels == null
            || !labels.entrySet().containsAll(selector.entrySet())) {
          continue;
        }
        for (Replica replica : ready.getOrDefault(namespace + "/" + deployment.getMetadata().getName(), List.of())) {
          EndpointSlice slice = slice(service, replica);
          desired.put(namespace + "/" + slice.getMetadata().getName(), slice);
        }
      }
    }
    desired.forEach((key, slice) -> {
      if (!slice.equals(applied.get(key))) {
        client.resource(slice).forceConflicts().fieldManager(MANAGED_BY).serverSideApply();
        applied.put(key, slice);
      }
    });
    applied.keySet().removeIf(key -> {
      if (desired.containsKey(key)) {
        return false;
      }
      String[] parts = key.split("/", 2);
      client.discovery().v1().endpointSlices().inNamespace(parts[0]).withName(parts[1]).delete();
      return true;
    });
  }

  private static EndpointSlice slice(Service service, Replica replica) {
    String name = service.getMetadata().getName() + "-" + replica.podIp().replace('.', '-');
    EndpointSliceBuilder builder = new EndpointSliceBuilder()
        .withNewMetadata().withName(name).withNamespace(service.getMetadata().getNamespace())
        .addToLabels("kubernetes.io/service-name", service.getMetadata().getName())
        .addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
        .endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses(replica.podIp()).withNewConditions().withReady(true).endConditions().endEndpoint();
    for (ServicePort port : service.getSpec().getPorts()) {
      builder.addToPorts(new EndpointPortBuilder().withName(port.getName() == null ? "" : port.getName())
          .withPort(replica.port()).withProtocol("TCP").build());
    }
    return builder.build();
  }
}
