package dev.plonk.controller.analysis;

import dev.plonk.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.List;

/**
 * The next status and what the reconciler must do about it. Weights and the canary's scale are derived from the
 * status (see {@link Desired}); the only imperative action is copying the target's template into the primary.
 *
 * @param promotePrimary copy the target's pod template into the primary now
 * @param consumedAction the {@code plonk.dev/action} annotation was acted on and must be removed
 */
public record Decision(RolloutStatus status, boolean promotePrimary, boolean consumedAction, List<DecisionEvent> events,
    Duration requeueAfter) {}
