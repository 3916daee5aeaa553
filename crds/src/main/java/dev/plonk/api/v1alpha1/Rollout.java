package dev.plonk.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A progressive rollout of one function Deployment: the controller shifts traffic from the primary to the canary
 * step by step and gates each step on Prometheus checks.
 */
@Group(Rollout.GROUP)
@Version(Rollout.VERSION)
@ShortNames("ro")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Weight", jsonPath = ".status.canaryWeight", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Failed", jsonPath = ".status.failedChecks", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Strategy", jsonPath = ".spec.strategy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class Rollout extends CustomResource<RolloutSpec, RolloutStatus> implements Namespaced {
  public static final String GROUP = "plonk.dev";
  public static final String VERSION = "v1alpha1";
  /** The annotation users set to act on a rollout: {@code promote}, {@code abort} or {@code retry}. */
  public static final String ACTION_ANNOTATION = "plonk.dev/action";

  @Override
  protected RolloutStatus initStatus() {
    return new RolloutStatus();
  }
}
