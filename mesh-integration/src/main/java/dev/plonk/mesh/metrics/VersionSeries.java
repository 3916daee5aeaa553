package dev.plonk.mesh.metrics;

/**
 * How one source of metrics tells the two versions apart: the label and its value for the canary and the primary, and
 * the factor that turns its histogram's {@code le} into milliseconds.
 */
public record VersionSeries(String label, String canary, String primary, double leToMillis) {}
