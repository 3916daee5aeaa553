package dev.plonk.controller.analysis.sim;

/** One simulated situation: total load, both versions' error rates and latency (log-normal median and log-sd). */
record Setting(String name, double rps, double primaryErrors, double canaryErrors, double primaryMedianMs,
    double canaryMedianMs, double sigma) {
  boolean canaryBad() {
    return canaryErrors > primaryErrors || canaryMedianMs > primaryMedianMs;
  }
}
