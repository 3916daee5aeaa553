package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.MetricCheck;
import dev.plonk.api.v1alpha1.MetricProvider;
import dev.plonk.api.v1alpha1.MetricProviderType;
import dev.plonk.api.v1alpha1.MetricTemplate;
import dev.plonk.api.v1alpha1.MetricTemplateSpec;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.TemplateRef;
import dev.plonk.api.v1alpha1.ThresholdRange;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * MetricTemplates on the real apiserver and Prometheus: a custom template that passes promotes, one that fails rolls
 * back, a missing one (or one in another namespace referenced without it) is a failed check with a condition that
 * says so, never a pass; a template behind credentials (a token- and basic-auth-checking proxy in front of the
 * devstack's Prometheus) works with the right Secret and fails with a wrong one; a self-signed HTTPS one is refused
 * unless the template sets insecureSkipVerify.
 */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class MetricTemplateIT {
  /** Requests per second the canary answered with {{variables.code}}. */
  static final String RATE_QUERY = "sum(rate(plonk_gateway_backend_requests_total{namespace=\"{{namespace}}\","
      + "backend=\"{{canary}}\",code=\"{{variables.code}}\"}[{{interval}}]))";

  static void template(KubernetesClient client, String ns, String name, String address, String secret) {
    template(client, ns, name, address, secret, null);
  }

  static void template(KubernetesClient client, String ns, String name, String address, String secret,
      Boolean insecureSkipVerify) {
    MetricTemplate t = new MetricTemplate();
    t.getMetadata().setName(name);
    t.getMetadata().setNamespace(ns);
    t.setSpec(new MetricTemplateSpec());
    t.getSpec().query = RATE_QUERY;
    t.getSpec().provider = new MetricProvider();
    t.getSpec().provider.type = MetricProviderType.PROMETHEUS;
    t.getSpec().provider.address = address;
    t.getSpec().provider.secretRef = secret == null ? null : new MetricProvider.SecretRef(secret);
    t.getSpec().provider.insecureSkipVerify = insecureSkipVerify;
    client.resource(t).create();
  }

  static MetricCheck check(String name, String template, String namespace, String code, ThresholdRange range) {
    MetricCheck c = new MetricCheck(name, range);
    c.templateRef = new TemplateRef(template, namespace);
    c.templateVariables = Map.of("code", code);
    c.interval = "3s";
    return c;
  }

  private static Rollout rollout(Scenario s, MetricCheck check, Phase end) {
    s.bootstrap(spec -> {
      spec.analysis.stepWeight = 25;
      spec.analysis.metrics.add(check);
    });
    s.setVersion("v2");
    return s.awaitPhase(end, Duration.ofSeconds(60));
  }

  @Test
  void aPassingTemplatePromotes(KubernetesClient client, Kubernetes k8s, Prometheus prometheus, TestNamespace ns)
      throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      template(client, ns.name(), "ok-per-second", prometheus.baseUrl(), null);
      Rollout done = rollout(s, check("ok-rate", "ok-per-second", null, "200", new ThresholdRange(5.0, null)),
          Phase.Succeeded);
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
      assertThat(done.getStatus().lastAnalysis).filteredOn(r -> r.metric.equals("ok-rate")).singleElement()
          .satisfies(r -> {
            assertThat(r.passed).isTrue();
            assertThat(r.value).isBetween(15.0, 25.0);
          });
    }
  }

  @Test
  void aFailingTemplateRollsBack(KubernetesClient client, Kubernetes k8s, Prometheus prometheus, TestNamespace ns)
      throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      s.canaryFails();
      template(client, ns.name(), "errors-per-second", prometheus.baseUrl(), null);
      Rollout failed = rollout(s, check("error-rate", "errors-per-second", null, "500", new ThresholdRange(null, 1.0)),
          Phase.Failed);
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
      assertThat(failed.getStatus().lastAnalysis).filteredOn(r -> r.metric.equals("error-rate")).singleElement()
          .satisfies(r -> {
            assertThat(r.passed).isFalse();
            assertThat(r.value).isGreaterThan(1.0);
            assertThat(r.message).contains("outside [-inf, 1.0]");
          });
    }
  }

  @Test
  void aMissingTemplateOrOneInAnotherNamespaceWithoutItsNamespaceIsAConditionNeverAPass(KubernetesClient client,
      Kubernetes k8s, Prometheus prometheus, TestNamespace ns) throws Exception {
    String shared = ns.name() + "-shared";
    client.resource(new NamespaceBuilder().withNewMetadata().withName(shared).endMetadata().build()).create();
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI)) {
      s.canaryServes(20, 0);
      template(client, shared, "ok-per-second", prometheus.baseUrl(), null);
      s.bootstrap(spec -> {
        spec.analysis.threshold = 100;   // held at its first weight by the failing check: the test reads a still state
        spec.analysis.metrics.add(check("ok-rate", "ok-per-second", null, "200", new ThresholdRange(5.0, null)));
      });
      s.setVersion("v2");
      Rollout held = s.awaitHeldAt(10, Duration.ofSeconds(60));
      String expected = "ok-rate: MetricTemplate " + ns.name() + "/ok-per-second not found: create it, or fix "
          + "templateRef (a template in another namespace needs templateRef.namespace)";
      assertThat(held.getStatus().lastAnalysis).filteredOn(r -> r.metric.equals("ok-rate")).singleElement()
          .satisfies(r -> {
            assertThat(r.passed).isFalse();
            assertThat(r.value).isNull();
            assertThat(r.message).isEqualTo(expected);
          });
      assertThat(held.getStatus().conditions).filteredOn(c -> c.getType().equals(RolloutStatus.ANALYSIS))
          .singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("CheckFailed");
            assertThat(c.getMessage()).contains(expected);
          });

      // naming the namespace makes it work: the held rollout now passes and is promoted
      s.patchSpec("{\"analysis\":{\"metrics\":[{\"name\":\"ok-rate\",\"interval\":\"3s\","
          + "\"thresholdRange\":{\"min\":5},\"templateRef\":{\"name\":\"ok-per-second\",\"namespace\":\"" + shared
          + "\"},\"templateVariables\":{\"code\":\"200\"}}]}}");
      s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(60));
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
    } finally {
      client.namespaces().withName(shared).delete();
    }
  }

  @Test
  void aTemplateBehindCredentialsPassesWithTheRightSecretAndFailsWithAWrongOne(KubernetesClient client,
      Kubernetes k8s, Prometheus prometheus, TestNamespace ns) throws Exception {
    String n = ns.name();
    String basic = "Basic " + Base64.getEncoder().encodeToString("reader:s3cret".getBytes());
    try (AuthProxy proxy = new AuthProxy(prometheus.baseUrl(), Set.of("Bearer t0ken", basic));
        Scenario s = new Scenario(client, k8s, prometheus, n, Provider.SMI)) {
      secret(client, n, "prom-token", Map.of("token", "t0ken"));
      secret(client, n, "prom-basic", Map.of("username", "reader", "password", "s3cret"));
      secret(client, n, "prom-wrong", Map.of("token", "guess"));
      template(client, n, "with-token", proxy.url(), "prom-token");
      template(client, n, "with-basic", proxy.url(), "prom-basic");
      template(client, n, "with-wrong", proxy.url(), "prom-wrong");
      s.canaryServes(20, 0);
      s.bootstrap(spec -> {
        spec.analysis.stepWeight = 25;
        spec.analysis.metrics.add(check("token-rate", "with-token", null, "200", new ThresholdRange(5.0, null)));
        spec.analysis.metrics.add(check("basic-rate", "with-basic", null, "200", new ThresholdRange(5.0, null)));
      });
      s.setVersion("v2");
      Rollout promoted = s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(60));
      assertThat(promoted.getStatus().lastAnalysis).filteredOn(r -> Set.of("token-rate", "basic-rate").contains(r.metric))
          .hasSize(2).allSatisfy(r -> assertThat(r.passed).isTrue());
      assertThat(proxy.forwarded()).isGreaterThanOrEqualTo(4);
      assertThat(proxy.refused()).isZero();

      s.patchSpec("{\"analysis\":{\"threshold\":2,\"metrics\":[{\"name\":\"wrong-rate\",\"interval\":\"3s\","
          + "\"thresholdRange\":{\"min\":5},\"templateRef\":{\"name\":\"with-wrong\"},"
          + "\"templateVariables\":{\"code\":\"200\"}}]}}");
      s.setVersion("v3");
      Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(60));
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
      assertThat(proxy.refused()).isGreaterThanOrEqualTo(2);
      assertThat(failed.getStatus().lastAnalysis).singleElement().satisfies(r -> {
        assertThat(r.passed).isFalse();
        assertThat(r.value).isNull();
        assertThat(r.message).contains("answered HTTP 401", "check the credentials (the MetricTemplate's secretRef)");
      });
    }
  }

  @Test
  void aSelfSignedPrometheusIsRefusedUnlessTheTemplateSkipsVerification(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String n = ns.name();
    try (AuthProxy proxy = new AuthProxy(prometheus.baseUrl(), Set.of("Bearer t0ken"), SelfSignedTls.serverContext(dir));
        Scenario s = new Scenario(client, k8s, prometheus, n, Provider.SMI)) {
      secret(client, n, "prom-token", Map.of("token", "t0ken"));
      template(client, n, "tls-verified", proxy.url(), "prom-token", null);
      template(client, n, "tls-skipped", proxy.url(), "prom-token", true);
      s.canaryServes(20, 0);
      s.bootstrap(spec -> {
        spec.analysis.threshold = 100;   // held at its first weight by the failing check
        spec.analysis.metrics.add(check("tls-rate", "tls-verified", null, "200", new ThresholdRange(5.0, null)));
      });
      s.setVersion("v2");
      Rollout held = s.awaitHeldAt(10, Duration.ofSeconds(60));
      assertThat(held.getStatus().lastAnalysis).filteredOn(r -> r.metric.equals("tls-rate")).singleElement()
          .satisfies(r -> {
            assertThat(r.passed).isFalse();
            assertThat(r.message).contains("is unreachable", "SSLHandshakeException");
          });
      assertThat(proxy.forwarded()).as("no query got through an unverified connection").isZero();

      s.patchSpec("{\"analysis\":{\"metrics\":[{\"name\":\"tls-rate\",\"interval\":\"3s\","
          + "\"thresholdRange\":{\"min\":5},\"templateRef\":{\"name\":\"tls-skipped\"},"
          + "\"templateVariables\":{\"code\":\"200\"}}]}}");
      s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(60));
      assertThat(proxy.forwarded()).isGreaterThan(0);
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
    }
  }

  private static void secret(KubernetesClient client, String ns, String name, Map<String, String> data) {
    client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withStringData(data).build()).create();
  }
}
