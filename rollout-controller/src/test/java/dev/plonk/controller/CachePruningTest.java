package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import org.junit.jupiter.api.Test;

class CachePruningTest {
  @Test
  void theCacheKeepsEverythingButTheManagedFields() {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("echo").withNamespace("fn").withResourceVersion("42")
        .addToLabels("app", "echo").addToAnnotations("plonk.dev/revision", "abc")
        .addToManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
        .endMetadata().withNewSpec().withReplicas(3).endSpec().build();
    ItemStore<Deployment> store = CachePruning.withoutManagedFields();

    store.put(store.getKey(d), d);
    Deployment cached = store.get("fn/echo");

    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(cached.getMetadata().getLabels()).containsEntry("app", "echo");
    assertThat(cached.getMetadata().getAnnotations()).containsEntry("plonk.dev/revision", "abc");
    assertThat(cached.getSpec().getReplicas()).isEqualTo(3);
  }
}
