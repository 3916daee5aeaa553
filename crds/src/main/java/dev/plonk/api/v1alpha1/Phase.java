package dev.plonk.api.v1alpha1;

/** Where a rollout stands; names follow Flagger's. */
public enum Phase {
  Initializing,
  Initialized,
  Waiting,
  Progressing,
  Promoting,
  Finalising,
  Succeeded,
  Failed
}
