package dev.plonk.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/**
 * Informer caches without {@code metadata.managedFields}: the controller never reads them, and with the apiserver's
 * field sets (a tree of maps per manager) they are a large part of each cached object. Writes are unaffected: an
 * update without managedFields keeps the stored ones, and patches and applies never send them.
 */
final class CachePruning {
  private CachePruning() {}

  static <R extends HasMetadata> ItemStore<R> withoutManagedFields() {
    return new TransformingItemStore<>(r -> {
      r.getMetadata().setManagedFields(null);
      return r;
    });
  }
}
