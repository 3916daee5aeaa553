package dev.plonk.devstack;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes a test's namespace with everything in it, at the end of the test. A bare apiserver has no namespace
 * controller, and a test's in-process controller is gone by then, so finalizers would keep objects (and the process
 * runtime would keep running their Deployments) forever: the cleanup clears finalizers, deletes every namespaced
 * object it can list, then the namespace, and finalizes it.
 */
final class NamespaceCleanup implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;

  NamespaceCleanup(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public void close() {
    try {
      for (String[] kind : namespacedKinds()) {
        deleteAll(kind[0], kind[1]);
      }
      client.namespaces().withName(namespace).delete();
      var terminating = client.namespaces().withName(namespace).get();
      if (terminating != null) {
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + namespace + "/finalize";
        client.raw(url, "PUT", new NamespaceBuilder(terminating).editSpec().withFinalizers(List.of()).endSpec().build());
      }
    } catch (KubernetesClientException e) {
      System.err.println("[devstack] could not delete test namespace " + namespace + ": " + e.getMessage());
    }
  }

  private void deleteAll(String apiVersion, String kind) {
    try {
      var objects = client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace);
      for (GenericKubernetesResource r : objects.list().getItems()) {
        if (r.getMetadata().getFinalizers() != null && !r.getMetadata().getFinalizers().isEmpty()) {
          objects.withName(r.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"finalizers\":null}}");
        }
      }
      objects.delete();
    } catch (KubernetesClientException e) {
      // gone already, or a kind that refuses collection deletes: the namespace deletion covers it on a real node
    }
  }

  /** {apiVersion, kind} of every namespaced kind that can be listed and deleted, preferred versions only. */
  private List<String[]> namespacedKinds() {
    List<String> groupVersions = new ArrayList<>(List.of("v1"));
    for (APIGroup group : client.getApiGroups().getGroups()) {
      GroupVersionForDiscovery preferred = group.getPreferredVersion();
      groupVersions.add(preferred != null ? preferred.getGroupVersion() : group.getVersions().get(0).getGroupVersion());
    }
    List<String[]> out = new ArrayList<>();
    for (String gv : groupVersions) {
      for (APIResource r : client.getApiResources(gv).getResources()) {
        if (Boolean.TRUE.equals(r.getNamespaced()) && !r.getName().contains("/") && r.getVerbs().contains("list")
            && r.getVerbs().contains("deletecollection")) {
          out.add(new String[] {gv, r.getKind()});
        }
      }
    }
    return out;
  }
}
