package dev.plonk.controller;

import dev.plonk.samples.EchoFunction;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The ITs' target Deployment {@code echo}: the sample echo function, run by the devstack's process runtime as one
 * small JVM per pod, its readiness probe on {@code /_/health}. A pod fails its probe while the file
 * {@code <deployment>-<version>} exists in this target's switch folder: its {@code UNREADY_FILE} is built from its
 * {@code faas_function} label through the downward API ({@code echo} for the canary, {@code echo-primary} for the
 * primary's copy of the same template), so a test can hold the primary or the canary of one revision not ready.
 */
final class EchoTarget implements AutoCloseable {
  /** From the samples module's classes only: a fast start. */
  private static final List<String> COMMAND = List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m", "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC", "-cp", codeSource(), EchoFunction.class.getName());

  private final String ns;
  private final Path switches;
  /** When set, the container reads its environment from this ConfigMap ({@code envFrom}). */
  String configMap;

  EchoTarget(String ns) throws IOException {
    this.ns = ns;
    this.switches = Files.createTempDirectory("plonk-readiness-");
  }

  Deployment deployment(String version) {
    String name = Scenario.TARGET;
    Deployment d = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .addToLabels("faas_function", name).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("faas_function", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("faas_function", name).endMetadata()
        .withNewSpec().addNewContainer().withName("fn").withImage("plonk/echo:" + version).withCommand(COMMAND)
        .addNewEnv().withName("FUNCTION").withNewValueFrom().withNewFieldRef()
        .withFieldPath("metadata.labels['faas_function']").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("VERSION").withValue(version).endEnv()
        .addNewEnv().withName("UNREADY_FILE").withValue(switches + "/$(FUNCTION)-$(VERSION)").endEnv()
        .addNewPort().withName("http").withContainerPort(8080).endPort()
        .withNewReadinessProbe().withNewHttpGet().withPath("/_/health").withNewPort("http").endHttpGet()
        .withPeriodSeconds(1).endReadinessProbe()
        .endContainer().endSpec().endTemplate().endSpec().build();
    if (configMap != null) {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom()
          .add(new EnvFromSourceBuilder().withNewConfigMapRef().withName(configMap).endConfigMapRef().build());
    }
    return d;
  }

  /**
   * From now on, the pods of {@code deployment} at {@code version} fail their readiness probe (running ones at their
   * next probe, new ones from the start); the process runtime writes the Deployment status from the probes.
   */
  void failReadiness(String deployment, String version) throws IOException {
    Files.writeString(switches.resolve(deployment + "-" + version), "held by the test");
  }

  /** Undoes {@link #failReadiness}: the pods pass their probe again. */
  void passReadiness(String deployment, String version) throws IOException {
    Files.delete(switches.resolve(deployment + "-" + version));
  }

  private static String codeSource() {
    try {
      return Path.of(EchoFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try (var files = Files.list(switches)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(switches);
  }
}
