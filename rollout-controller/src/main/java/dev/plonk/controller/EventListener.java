package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.controller.analysis.DecisionEvent;

/** Told of every Event recorded about a Rollout (event webhooks, alerts). Must return at once: it runs on the caller's thread. */
public interface EventListener {
  void recorded(Rollout rollout, DecisionEvent event);
}
