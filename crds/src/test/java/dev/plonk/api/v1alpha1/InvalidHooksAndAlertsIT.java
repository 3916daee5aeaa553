package dev.plonk.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The apiserver refuses bad webhooks, alerts and AlertProviders with a message that says why, and fills defaults. */
@DevStackTest
class InvalidHooksAndAlertsIT {

  static Stream<Arguments> invalidRollouts() {
    return Stream.of(
        bad("webhook url with another scheme", s -> s.analysis.webhooks.add(hook("gate", WebhookType.CONFIRM_ROLLOUT,
            "ftp://approver/gate")), "webhook url must be an absolute http or https URL"),
        bad("webhook url not a URL", s -> s.analysis.webhooks.add(hook("gate", WebhookType.CONFIRM_ROLLOUT,
            "approver:8080/gate")), "webhook url must be an absolute http or https URL"),
        bad("two webhooks with one name", s -> {
          s.analysis.webhooks.add(hook("tests", WebhookType.PRE_ROLLOUT, "http://tester/a"));
          s.analysis.webhooks.add(hook("tests", WebhookType.ROLLOUT, "http://tester/b"));
        }, "analysis.webhooks names must be unique"),
        bad("webhook timeout not a duration", s -> {
          Webhook w = hook("tests", WebhookType.PRE_ROLLOUT, "http://tester/a");
          w.timeout = "2 minutes";
          s.analysis.webhooks.add(w);
        }, "spec.analysis.webhooks[0].timeout"),
        bad("webhook timeout above 1h", s -> {
          Webhook w = hook("tests", WebhookType.PRE_ROLLOUT, "http://tester/a");
          w.timeout = "2h";
          s.analysis.webhooks.add(w);
        }, "webhook timeout must be between 1ms and 1h"),
        bad("webhook retries above 10", s -> {
          Webhook w = hook("tests", WebhookType.PRE_ROLLOUT, "http://tester/a");
          w.retries = 11;
          s.analysis.webhooks.add(w);
        }, "spec.analysis.webhooks[0].retries"),
        bad("two alerts with one name", s -> {
          s.analysis.alerts.add(new Alert("team", Severity.INFO, new ProviderRef("slack", null)));
          s.analysis.alerts.add(new Alert("team", Severity.ERROR, new ProviderRef("teams", null)));
        }, "analysis.alerts names must be unique"),
        bad("alert without providerRef", s -> s.analysis.alerts.add(new Alert("team", Severity.INFO, null)),
            "spec.analysis.alerts[0].providerRef"));
  }

  static Stream<Arguments> invalidProviders() {
    return Stream.of(
        badProvider("neither address nor secretRef", p -> p.address = null, "needs exactly one of address"),
        badProvider("both address and secretRef", p -> p.secretRef = new SecretRef("slack-url"),
            "needs exactly one of address"),
        badProvider("address not a URL", p -> p.address = "hooks.slack.com/services/x",
            "address must be an absolute http or https URL"),
        badProvider("channel on msteams", p -> {
          p.type = AlertProviderType.MSTEAMS;
          p.channel = "#releases";
        }, "channel applies to slack only"),
        badProvider("username on msteams", p -> {
          p.type = AlertProviderType.MSTEAMS;
          p.username = "plonk";
        }, "username applies to slack and discord only"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRollouts")
  void badRolloutRefused(String what, Consumer<RolloutSpec> breakIt, String expected, KubernetesClient client,
      TestNamespace ns) {
    Rollout rollout = InvalidRolloutIT.valid(ns.name(), "bad");
    breakIt.accept(rollout.getSpec());
    assertThatThrownBy(() -> client.resource(rollout).create()).as(what)
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidProviders")
  void badProviderRefused(String what, Consumer<AlertProviderSpec> breakIt, String expected, KubernetesClient client,
      TestNamespace ns) {
    AlertProvider provider = provider(ns.name());
    breakIt.accept(provider.getSpec());
    assertThatThrownBy(() -> client.resource(provider).create()).as(what)
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(expected);
  }

  @Test
  void unknownWebhookTypeAndSeverityAndProviderTypeAreRefused(KubernetesClient client, TestNamespace ns) {
    Rollout r = InvalidRolloutIT.valid(ns.name(), "unknown");
    r.getSpec().analysis.webhooks.add(hook("tests", WebhookType.ROLLOUT, "http://tester/"));
    r.getSpec().analysis.alerts.add(new Alert("team", Severity.INFO, new ProviderRef("slack", null)));
    GenericKubernetesResource generic = client.getKubernetesSerialization().convertValue(r,
        GenericKubernetesResource.class);
    analysis(generic, "webhooks").get(0).put("type", "pre-promotion");
    var rollouts = client.genericKubernetesResources("plonk.dev/v1alpha1", "Rollout").inNamespace(ns.name());
    assertThatThrownBy(() -> rollouts.resource(generic).create())
        .hasMessageContaining("spec.analysis.webhooks[0].type")
        .hasMessageContaining("supported values: \"confirm-promotion\", \"confirm-rollout\"");
    analysis(generic, "webhooks").get(0).put("type", "rollout");
    analysis(generic, "alerts").get(0).put("severity", "critical");
    assertThatThrownBy(() -> rollouts.resource(generic).create())
        .hasMessageContaining("spec.analysis.alerts[0].severity")
        .hasMessageContaining("supported values: \"error\", \"info\", \"warn\"");

    GenericKubernetesResource pager = client.getKubernetesSerialization().convertValue(provider(ns.name()),
        GenericKubernetesResource.class);
    spec(pager).put("type", "pagerduty");
    assertThatThrownBy(() -> client.genericKubernetesResources("plonk.dev/v1alpha1", "AlertProvider")
        .inNamespace(ns.name()).resource(pager).create())
        .hasMessageContaining("spec.type")
        .hasMessageContaining("supported values: \"discord\", \"generic\", \"msteams\", \"slack\"");
  }

  @Test
  void validHooksAndAlertsAreAcceptedWithDefaults(KubernetesClient client, TestNamespace ns) {
    Rollout r = InvalidRolloutIT.valid(ns.name(), "good");
    Webhook load = hook("load-test", WebhookType.ROLLOUT, "http://flagger-loadtester.test/");
    load.metadata = Map.of("type", "cmd", "cmd", "hey -z 1m -q 10 -c 2 http://echo-canary.team-a:8080/");
    r.getSpec().analysis.webhooks.add(load);
    r.getSpec().analysis.webhooks.add(hook("approve", WebhookType.CONFIRM_PROMOTION, "https://approver.team-a/ok?x=1"));
    r.getSpec().analysis.alerts.add(new Alert("team", null, new ProviderRef("slack", null)));
    Rollout created = client.resource(r).create();
    assertThat(created.getSpec().analysis.alerts.get(0).severity).isEqualTo(Severity.INFO);
    assertThat(created.getSpec().analysis.webhooks.get(0).metadata).containsEntry("type", "cmd");
    assertThat(created.getSpec().analysis.webhooks.get(0).timeoutDuration()).hasSeconds(10);

    AlertProvider fromSecret = provider(ns.name());
    fromSecret.getMetadata().setName("from-secret");
    fromSecret.getSpec().address = null;
    fromSecret.getSpec().secretRef = new SecretRef("slack-url");
    assertThat(client.resource(fromSecret).create().getSpec().secretRef.name).isEqualTo("slack-url");
  }

  @Test
  void theGatedSampleIsAccepted(KubernetesClient client, TestNamespace ns) throws Exception {
    String yaml = java.nio.file.Files.readString(dev.plonk.devstack.ProjectLayout.root()
        .resolve("samples/manifests/rollout-gated.yaml")).replace("namespace: openfaas-fn", "namespace: " + ns.name());
    var created = client.load(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .create();
    assertThat(created).extracting(r -> r.getKind()).containsExactly("Secret", "AlertProvider", "AlertProvider",
        "Rollout");
    Rollout gated = client.resources(Rollout.class).inNamespace(ns.name()).withName("echo-gated").get();
    assertThat(gated.getSpec().analysis.webhooks).extracting(w -> w.type).containsExactly(WebhookType.CONFIRM_ROLLOUT,
        WebhookType.ROLLOUT, WebhookType.CONFIRM_PROMOTION, WebhookType.ROLLBACK, WebhookType.EVENT);
    assertThat(gated.getSpec().analysis.alerts).extracting(a -> a.severity).containsExactly(Severity.INFO, Severity.WARN);
  }

  private static AlertProvider provider(String namespace) {
    AlertProvider p = new AlertProvider();
    p.getMetadata().setName("slack");
    p.getMetadata().setNamespace(namespace);
    AlertProviderSpec spec = new AlertProviderSpec(AlertProviderType.SLACK, "https://hooks.slack.com/services/T0/B0/x");
    spec.channel = "#releases";
    spec.username = "plonk";
    p.setSpec(spec);
    return p;
  }

  static Webhook hook(String name, WebhookType type, String url) {
    return new Webhook(name, type, url);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> analysis(GenericKubernetesResource r, String field) {
    return (List<Map<String, Object>>) ((Map<String, Object>) spec(r).get("analysis")).get(field);
  }

  private static Arguments bad(String what, Consumer<RolloutSpec> breakIt, String expected) {
    return Arguments.of(what, breakIt, expected);
  }

  private static Arguments badProvider(String what, Consumer<AlertProviderSpec> breakIt, String expected) {
    return Arguments.of(what, breakIt, expected);
  }
}
