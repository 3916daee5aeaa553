package dev.plonk.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The apiserver itself refuses bad Rollouts (OpenAPI + CEL from the committed CRD) with a message that says why. */
@DevStackTest
class InvalidRolloutIT {

  static Rollout valid(String namespace, String name) {
    Rollout r = new Rollout();
    r.getMetadata().setName(name);
    r.getMetadata().setNamespace(namespace);
    RolloutSpec spec = new RolloutSpec();
    spec.targetRef = new TargetRef("Deployment", "echo");
    spec.service = new ServiceSpec(8080);
    spec.analysis = new AnalysisSpec();
    spec.analysis.metrics.add(new MetricCheck(MetricCheck.SUCCESS_RATE, new ThresholdRange(99.0, null)));
    r.setSpec(spec);
    return r;
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad("stepWeight above 100", s -> s.analysis.stepWeight = 150, "should be less than or equal to 100"),
        bad("maxWeight of 0", s -> s.analysis.maxWeight = 0, "should be greater than or equal to 1"),
        bad("stepWeights out of range", s -> s.analysis.stepWeights = java.util.List.of(10, 120),
            "analysis.stepWeights must each be between 1 and 100"),
        bad("stepWeights not ascending", s -> s.analysis.stepWeights = java.util.List.of(30, 10),
            "must be strictly ascending"),
        bad("thresholdRange with no bound", s -> s.analysis.metrics.get(0).thresholdRange = new ThresholdRange(),
            "thresholdRange needs min, max or both"),
        bad("thresholdRange min > max", s -> s.analysis.metrics.get(0).thresholdRange = new ThresholdRange(9.0, 1.0),
            "thresholdRange.min must not be greater than thresholdRange.max"),
        bad("interval not a duration", s -> s.analysis.interval = "ten seconds", "spec.analysis.interval"),
        bad("interval below 1s", s -> s.analysis.interval = "500ms", "analysis.interval must be at least 1s"),
        bad("threshold of 0", s -> s.analysis.threshold = 0, "spec.analysis.threshold"),
        bad("custom metric without query", s -> s.analysis.metrics.add(new MetricCheck("errors", new ThresholdRange(null, 1.0))),
            "a custom metric needs a query"),
        bad("target not a Deployment", s -> s.targetRef.kind = "StatefulSet", "targetRef.kind must be Deployment"),
        bad("service port out of range", s -> s.service.port = 70000, "spec.service.port"),
        bad("comparison without tolerance", s -> s.analysis.metrics.set(0, compared(MetricCheck.SUCCESS_RATE, null, null)),
            "needs a tolerance"),
        bad("comparison with a thresholdRange", s -> {
          MetricCheck c = compared(MetricCheck.SUCCESS_RATE, 0.5, null);
          c.thresholdRange = new ThresholdRange(99.0, null);
          s.analysis.metrics.set(0, c);
        }, "without query or thresholdRange"),
        bad("comparison on a custom query", s -> {
          MetricCheck c = compared("errors", 0.5, null);
          c.query = "sum(x)";
          s.analysis.metrics.set(0, c);
        }, "comparison: primary works on the built-in"),
        bad("negative tolerance", s -> s.analysis.metrics.set(0, compared(MetricCheck.DURATION, -1.0, null)),
            "tolerance"),
        bad("error-rate tolerance of 100 points", s -> s.analysis.metrics.set(0,
            compared(MetricCheck.SUCCESS_RATE, 100.0, null)), "must be below 100"),
        bad("confidence of 100%", s -> s.analysis.metrics.set(0, compared(MetricCheck.SUCCESS_RATE, 0.5, 100.0)),
            "confidence is a percentage in [50, 100)"),
        bad("tolerance without comparison", s -> s.analysis.metrics.get(0).tolerance = 0.5,
            "tolerance and confidence only apply with comparison: primary"),
        bad("no thresholdRange and no comparison", s -> s.analysis.metrics.get(0).thresholdRange = null,
            "a metric needs thresholdRange"),
        bad("minWeight of 0", s -> s.analysis.minWeight = 0, "spec.analysis.minWeight"),
        bad("minDuration not a duration", s -> s.analysis.minDuration = "soon", "spec.analysis.minDuration"),
        bad("canaryReadyThreshold of 0", s -> s.analysis.canaryReadyThreshold = 0, "spec.analysis.canaryReadyThreshold"),
        bad("autoscaler not an HPA", s -> {
          s.autoscalerRef = new AutoscalerRef("echo");
          s.autoscalerRef.kind = "KedaScaledObject";
        }, "autoscalerRef.kind must be HorizontalPodAutoscaler"),
        bad("load rate above the bound", s -> s.analysis.load = load(l -> l.rate = 500), "spec.analysis.load.rate"),
        bad("load concurrency of 0", s -> s.analysis.load = load(l -> l.concurrency = 0), "spec.analysis.load.concurrency"),
        bad("load method unknown", s -> s.analysis.load = load(l -> l.method = "CONNECT"), "spec.analysis.load.method"),
        bad("load path without a slash", s -> s.analysis.load = load(l -> l.path = "orders"), "spec.analysis.load.path"),
        bad("load body on GET", s -> s.analysis.load = load(l -> l.body = "{}"), "analysis.load.body needs a method"),
        bad("load sets Authorization", s -> s.analysis.load = load(l -> l.headers = java.util.Map.of("authorization", "x")),
            "must not set Host, Authorization"),
        bad("load header name with a space", s -> s.analysis.load = load(l -> l.headers = java.util.Map.of("X Y", "1")),
            "names must be HTTP tokens"),
        bad("load timeout above 60s", s -> s.analysis.load = load(l -> l.timeout = "2m"),
            "analysis.load.timeout must be between 100ms and 60s"),
        bad("templateRef and query", s -> {
          MetricCheck c = new MetricCheck("errors", new ThresholdRange(null, 1.0));
          c.templateRef = new TemplateRef("errors", null);
          c.query = "sum(x)";
          s.analysis.metrics.add(c);
        }, "templateRef replaces query"),
        bad("templateVariables without templateRef", s -> {
          MetricCheck c = new MetricCheck("errors", new ThresholdRange(null, 1.0));
          c.query = "sum(x)";
          c.templateVariables = java.util.Map.of("a", "b");
          s.analysis.metrics.add(c);
        }, "templateVariables only apply with templateRef"),
        bad("stepWeight above maxWeight", s -> {
          s.analysis.stepWeight = 60;
          s.analysis.maxWeight = 50;
        }, "analysis.stepWeight must not exceed analysis.maxWeight"));
  }

  private static LoadSpec load(Consumer<LoadSpec> edit) {
    LoadSpec load = new LoadSpec();
    edit.accept(load);
    return load;
  }

  private static MetricCheck compared(String name, Double tolerance, Double confidence) {
    return MetricCheck.comparedWithPrimary(name, tolerance, confidence);
  }

  private static Arguments bad(String what, Consumer<RolloutSpec> breakIt, String expected) {
    return Arguments.of(what, breakIt, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusedWithAMessage(String what, Consumer<RolloutSpec> breakIt, String expected, KubernetesClient client,
      TestNamespace ns) {
    Rollout rollout = valid(ns.name(), "bad");
    breakIt.accept(rollout.getSpec());
    assertThatThrownBy(() -> client.resource(rollout).create())
        .as(what)
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(expected);
  }

  @Test
  void unknownProviderIsRefused(KubernetesClient client, TestNamespace ns) {
    var generic = client.genericKubernetesResources("plonk.dev/v1alpha1", "Rollout").inNamespace(ns.name());
    var resource = client.getKubernetesSerialization().convertValue(valid(ns.name(), "istio"),
        io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    @SuppressWarnings("unchecked")
    var spec = (java.util.Map<String, Object>) resource.getAdditionalProperties().get("spec");
    spec.put("provider", "istio");
    assertThatThrownBy(() -> generic.resource(resource).create())
        .hasMessageContaining("spec.provider")
        .hasMessageContaining("supported values: \"gatewayapi\", \"smi\"");
  }

  @Test
  void comparisonAndFixedChecksMixInOneRollout(KubernetesClient client, TestNamespace ns) {
    Rollout r = valid(ns.name(), "mixed");
    r.getSpec().analysis.metrics.add(compared(MetricCheck.SUCCESS_RATE, 0.5, 99.0));
    r.getSpec().analysis.metrics.add(compared(MetricCheck.DURATION, 20.0, null));
    r.getSpec().analysis.minWeight = 20;
    r.getSpec().analysis.minDuration = "1m";
    Rollout created = client.resource(r).create();
    assertThat(created.getSpec().analysis.metrics).extracting(m -> m.comparison)
        .containsExactly(null, Baseline.PRIMARY, Baseline.PRIMARY);
    assertThat(created.getSpec().analysis.metrics.get(2).confidenceOrDefault()).isEqualTo(0.99);
  }

  @Test
  void loadAndTemplateRefAreAcceptedWithDefaults(KubernetesClient client, TestNamespace ns) {
    Rollout r = valid(ns.name(), "loaded");
    r.getSpec().analysis.load = load(l -> {
      l.method = "POST";
      l.body = "{\"ping\":1}";
      l.headers = java.util.Map.of("Content-Type", "application/json");
    });
    MetricCheck templated = new MetricCheck("errors", new ThresholdRange(null, 1.0));
    templated.templateRef = new TemplateRef("errors", "shared");
    templated.templateVariables = java.util.Map.of("code", "5..");
    r.getSpec().analysis.metrics.add(templated);
    Rollout created = client.resource(r).create();
    LoadSpec load = created.getSpec().analysis.load;
    assertThat(load.rate).isEqualTo(10);
    assertThat(load.concurrency).isEqualTo(4);
    assertThat(load.path).isEqualTo("/");
    assertThat(load.timeout).isEqualTo("5s");
    assertThat(created.getSpec().analysis.metrics.get(1).templateRef.namespace).isEqualTo("shared");
  }

  @Test
  void theLoadedSampleIsAccepted(KubernetesClient client, TestNamespace ns) throws Exception {
    String yaml = java.nio.file.Files.readString(dev.plonk.devstack.ProjectLayout.root()
        .resolve("samples/manifests/rollout-loaded.yaml")).replace("namespace: openfaas-fn", "namespace: " + ns.name());
    var created = client.load(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .create();
    assertThat(created).extracting(r -> r.getKind()).containsExactly("Secret", "MetricTemplate", "Rollout");
    Rollout loaded = client.resources(Rollout.class).inNamespace(ns.name()).withName("echo-loaded").get();
    assertThat(loaded.getSpec().analysis.load.rate).isEqualTo(20);
    assertThat(loaded.getSpec().analysis.load.headers).containsEntry("Content-Type", "application/json");
    assertThat(loaded.getSpec().analysis.metrics.get(2).templateRef.name).isEqualTo("canary-errors-per-second");
    MetricTemplate template = client.resources(MetricTemplate.class).inNamespace(ns.name())
        .withName("canary-errors-per-second").get();
    assertThat(template.getSpec().query).contains("{{variables.codes}}").doesNotContain("\n");
  }

  @Test
  void metricTemplateIsValidated(KubernetesClient client, TestNamespace ns) {
    MetricTemplate template = new MetricTemplate();
    template.getMetadata().setName("errors");
    template.getMetadata().setNamespace(ns.name());
    template.setSpec(new MetricTemplateSpec());
    template.getSpec().query = "sum(rate(x[{{interval}}]))";
    assertThatThrownBy(() -> client.resource(template).create()).hasMessageContaining("spec.provider");
    template.getSpec().provider = new MetricProvider();
    template.getSpec().provider.type = MetricProviderType.PROMETHEUS;
    template.getSpec().provider.address = "prometheus:9090";
    assertThatThrownBy(() -> client.resource(template).create()).hasMessageContaining("spec.provider.address");
    template.getSpec().provider.address = "http://prometheus.monitoring:9090";
    template.getSpec().provider.secretRef = new MetricProvider.SecretRef("prom-auth");
    assertThat(client.resource(template).create().getSpec().provider.secretRef.name).isEqualTo("prom-auth");
  }

  @Test
  void validRolloutIsAcceptedWithDefaults(KubernetesClient client, TestNamespace ns) {
    Rollout created = client.resource(valid(ns.name(), "good")).create();
    assertThat(created.getSpec().strategy).isEqualTo(Strategy.CANARY);
    assertThat(created.getSpec().analysis.interval).isEqualTo("30s");
    assertThat(created.getSpec().analysis.threshold).isEqualTo(5);
    assertThat(created.getSpec().analysis.stepWeight).isEqualTo(10);
    assertThat(created.getSpec().analysis.maxWeight).isEqualTo(50);
    assertThat(created.getSpec().progressDeadlineSeconds).isEqualTo(600);
    assertThat(created.getSpec().targetRef.apiVersion).isEqualTo("apps/v1");
    assertThat(created.getSpec().analysis.primaryReadyThreshold).isEqualTo(100);
    assertThat(created.getSpec().analysis.canaryReadyThreshold).isEqualTo(100);
    assertThat(created.getSpec().revertOnDeletion).isFalse();
    assertThat(created.getSpec().suspend).isFalse();
  }
}
