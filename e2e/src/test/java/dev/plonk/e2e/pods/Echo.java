package dev.plonk.e2e.pods;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** The sample echo function as a Deployment of pods from its local image, hardened as deploy/ hardens Plonk's. */
public final class Echo {
  private Echo() {
  }

  public static Deployment deployment(String namespace, String name, String version, String failRate) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels("faas_function", name).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).addToLabels("faas_function", name).endMetadata()
        .withNewSpec()
        .withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext()
        .addNewContainer().withName("echo").withImage("plonk.local/echo:dev").withImagePullPolicy("IfNotPresent")
        .addNewEnv().withName("BIND").withValue("0.0.0.0").endEnv()
        .addNewEnv().withName("VERSION").withValue(version).endEnv()
        .addNewEnv().withName("FAIL_RATE").withValue(failRate).endEnv()
        .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue("-Xmx64m").endEnv()
        .addNewPort().withContainerPort(8080).withName("http").endPort()
        .withNewReadinessProbe().withNewHttpGet().withPath("/_/health").withNewPort(8080).endHttpGet()
        .withPeriodSeconds(1).endReadinessProbe()
        // keep serving while the endpoint removal reaches every gateway's informer (echo exits at once on SIGTERM): a
        // loaded run saw one 502 from a pod stopped during the promotion's scale-down, before its gateway knew
        .withNewLifecycle().withNewPreStop().withNewSleep().withSeconds(5L).endSleep().endPreStop().endLifecycle()
        .withNewSecurityContext().withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false).endSecurityContext()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .endContainer().addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec().endTemplate().endSpec().build();
  }

  /** A canary Rollout of {@code name} in {@code namespace}, as samples/manifests/rollout.yaml. */
  public static String rollout(String namespace, String name) {
    return rollout(namespace, name, "smi", 180, analysis("gateway"));
  }

  /** A Rollout of {@code name} with the given router provider, deadline and {@code spec.analysis} block (YAML). */
  public static String rollout(String namespace, String name, String provider, int deadlineSeconds, String analysis) {
    return """
        apiVersion: plonk.dev/v1alpha1
        kind: Rollout
        metadata:
          name: %s
          namespace: %s
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: %s}
          service: {port: 8080}
          provider: %s
          progressDeadlineSeconds: %d
          analysis:
        %s""".formatted(name, namespace, name, provider, deadlineSeconds, analysis.indent(4));
  }

  /**
   * The demo's analysis (steps of 20 up to 60 every 2 s, success rate >= 99 % over 10 s), but with a p99 bound of 5 s
   * instead of the demo's 500 ms: on this shared 2-core machine, loaded by other builds, a healthy echo pod's p99
   * through the gateway reached 935 ms, and a leader-change run rolled back on it. A failing canary is caught by its
   * success rate. Ticks every 3 s with a threshold of 5, not 2 s and 2: the test's traffic is one call at a time, about
   * 1 s each beside a CPU hog, so a canary at 20 % may get no call in a 10 s window, and no data is a failed check (as
   * in Flagger); a run with 2 failures allowed rolled a healthy canary back so.
   */
  public static String analysis(String metricsObserver) {
    return analysis(metricsObserver, "3s", 5);
  }

  /** The demo's steps and checks, with another tick interval and failure threshold. */
  public static String analysis(String metricsObserver, String interval, int threshold) {
    return """
        interval: %s
        threshold: %d
        stepWeight: 20
        maxWeight: 60
        metricsObserver: %s
        metrics:
        - name: request-success-rate
          interval: 10s
          thresholdRange: {min: 99}
        - name: request-duration
          interval: 10s
          thresholdRange: {max: 5000}
        """.formatted(interval, threshold, metricsObserver);
  }
}
