package dev.plonk.mesh.router;

/** Percent of traffic to the primary and to the canary; they always sum to 100. */
public record Weights(int primary, int canary) {
  public static final Weights PRIMARY_ONLY = new Weights(100, 0);

  public Weights {
    if (primary < 0 || canary < 0 || primary + canary != 100) {
      throw new IllegalArgumentException("weights must be non-negative and sum to 100, got primary=" + primary
          + " canary=" + canary);
    }
  }

  public static Weights canary(int canaryWeight) {
    return new Weights(100 - canaryWeight, canaryWeight);
  }
}
