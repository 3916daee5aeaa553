package dev.plonk.controller.alerts;

import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.Webhook;
import dev.plonk.controller.analysis.DecisionEvent;

/** {@code muteAlert}: an Event about a webhook that asks for silence (its failure, or its gate holding) sends no alert. */
final class Muted {
  private Muted() {}

  static boolean by(Rollout rollout, DecisionEvent event) {
    for (Webhook w : rollout.getSpec().analysis.webhooks) {
      if (w.muteAlertOrFalse() && (event.message().contains(" webhook '" + w.name + "'")
          || event.message().contains(" webhooks '" + w.name + "'"))) {
        return true;
      }
    }
    return false;
  }
}
