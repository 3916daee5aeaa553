package dev.plonk.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A reusable metric query and the Prometheus it runs on (as Flagger's MetricTemplate): Rollout checks reference it
 * with {@code templateRef}. It has no status; a Rollout that cannot use it says why in its own status.
 */
@Group(Rollout.GROUP)
@Version(Rollout.VERSION)
@ShortNames("mt")
@AdditionalPrinterColumn(name = "Provider", jsonPath = ".spec.provider.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Address", jsonPath = ".spec.provider.address", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MetricTemplate extends CustomResource<MetricTemplateSpec, Void> implements Namespaced {}
