/**
 * What the three mains share: the flag conventions their {@code --help} tests check, Go-style durations, and the
 * admin server of {@code /metrics}, {@code /healthz} and {@code /readyz}.
 */
package dev.plonk.main;
