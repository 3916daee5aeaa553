package dev.plonk.controller.analysis.compare;

/** What one canary-vs-primary comparison says at one tick. */
public enum Verdict {
  /** The canary is worse than the primary by more than the tolerance, at the confidence: roll back now. */
  WORSE("Worse"),
  /** The canary is no worse than the primary plus the tolerance, at the confidence: it may be promoted early. */
  NO_WORSE("NoWorse"),
  /** Not enough evidence either way yet (including no or too few requests): continue; never a pass. */
  INCONCLUSIVE("Inconclusive");

  private final String text;

  Verdict(String text) {
    this.text = text;
  }

  /** The CamelCase form written to status. */
  public String text() {
    return text;
  }
}
