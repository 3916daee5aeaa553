package dev.plonk.api.v1alpha1;

/** Where a rollout stands; names follow Flagger's. */
public enum Phase {
  Initializing,
  Initialized,
  Waiting,
  Progressing,
  /** Analysis done, a confirm-promotion webhook has not answered 2xx yet; checks still run. */
  WaitingPromotion,
  Promoting,
  Finalising,
  Succeeded,
  Failed
}
