package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plonk.api.v1alpha1.Alert;
import dev.plonk.api.v1alpha1.AlertProvider;
import dev.plonk.api.v1alpha1.AlertProviderSpec;
import dev.plonk.api.v1alpha1.AlertProviderType;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.ProviderRef;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.SecretRef;
import dev.plonk.api.v1alpha1.Severity;
import dev.plonk.controller.alerts.AlertMessage;
import dev.plonk.controller.analysis.Statuses;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rollback alerted to Slack, Microsoft Teams, Discord and a generic receiver (its address in a Secret), each a local
 * receiver that records the JSON; a provider that is down, one that answers 503 (tried 3 times per alert) and one that
 * does not exist yet never stall the rollout.
 */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class AlertsIT {

  @Test
  void rollbackIsAlertedInEachFormatWithItsNumbers(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI);
        HookReceiver receiver = new HookReceiver()) {
      String n = ns.name();
      AlertProviderSpec slack = new AlertProviderSpec(AlertProviderType.SLACK, receiver.url("/slack", 200));
      slack.channel = "#releases";
      slack.username = "plonk-bot";
      provider(client, n, "slack", slack);
      provider(client, n, "teams", new AlertProviderSpec(AlertProviderType.MSTEAMS, receiver.url("/teams", 200)));
      provider(client, n, "discord", new AlertProviderSpec(AlertProviderType.DISCORD, receiver.url("/discord", 200)));
      provider(client, n, "down", new AlertProviderSpec(AlertProviderType.SLACK, "http://127.0.0.1:1/down"));
      provider(client, n, "failing", new AlertProviderSpec(AlertProviderType.GENERIC, receiver.url("/failing", 503)));
      client.resource(new SecretBuilder().withNewMetadata().withName("generic-url").withNamespace(n).endMetadata()
          .addToStringData(SecretRef.ADDRESS_KEY, receiver.url("/generic", 200)).build()).create();
      s.canaryServes(10, 10);
      s.bootstrap(spec -> spec.analysis.alerts.addAll(List.of(
          new Alert("on-call", Severity.ERROR, new ProviderRef("slack", null)),
          new Alert("team", Severity.WARN, new ProviderRef("teams", n)),
          new Alert("chat", Severity.INFO, new ProviderRef("discord", null)),
          new Alert("audit", Severity.ERROR, new ProviderRef("generic", null)),
          new Alert("broken", Severity.INFO, new ProviderRef("down", null)),
          new Alert("flaky", Severity.WARN, new ProviderRef("failing", null)))));

      Scenario.await("condition Alerts to name the missing AlertProvider", Duration.ofSeconds(30), () -> {
        var c = Statuses.find(s.rollout().getStatus(), RolloutStatus.ALERTS);
        return c != null && "False".equals(c.getStatus()) && "AlertProviderNotFound".equals(c.getReason())
            && c.getMessage().contains("alert 'audit': AlertProvider " + n + "/generic not found");
      });
      AlertProviderSpec generic = new AlertProviderSpec(AlertProviderType.GENERIC, null);
      generic.secretRef = new SecretRef("generic-url");
      provider(client, n, "generic", generic);
      Scenario.await("condition Alerts True once the AlertProvider exists", Duration.ofSeconds(30), () -> {
        var c = Statuses.find(s.rollout().getStatus(), RolloutStatus.ALERTS);
        return c != null && "True".equals(c.getStatus());
      });

      s.setVersion("v2");
      Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(60));
      Event rolledBack = s.events().stream().filter(e -> "RolledBack".equals(e.getReason())).findFirst().orElseThrow();
      var rate = failed.getStatus().lastAnalysis.stream().filter(r -> r.metric.equals("request-success-rate"))
          .findFirst().orElseThrow();
      String rateValue = new AlertMessage.Check(rate.metric, rate.value, rate.thresholdRange, false, rate.message)
          .summary();
      assertThat(rateValue).matches("\\d+(\\.\\d+)? \\(threshold \\[99\\.0, \\+inf\\]\\): failed");
      assertThat(rolledBack.getMessage()).contains("3/3 failed checks").contains("request-success-rate = ")
          .contains("outside [99.0, +inf]");

      Scenario.await("one error alert on Slack", Duration.ofSeconds(30), () -> receiver.json("/slack").size() == 1);
      JsonNode onSlack = receiver.json("/slack").get(0);
      assertThat(onSlack.toString()).isEqualTo(expectedSlack(n, failed, rolledBack.getMessage(), rateValue,
          failed.getStatus().lastAnalysis.get(1)));

      Scenario.await("the generic receiver's error alert", Duration.ofSeconds(30), () -> receiver.json("/generic").size() == 1);
      JsonNode onGeneric = receiver.json("/generic").get(0);
      assertThat(fields(onGeneric)).containsExactly("name", "namespace", "phase", "revision", "severity", "reason",
          "message", "checks");
      assertThat(onGeneric.get("severity").asText()).isEqualTo("error");
      assertThat(onGeneric.get("message").asText()).isEqualTo(rolledBack.getMessage());
      assertThat(onGeneric.get("checks").get(0).get("metric").asText()).isEqualTo("request-success-rate");
      assertThat(onGeneric.get("checks").get(0).get("value").asDouble()).isEqualTo(rate.value);
      assertThat(onGeneric.get("checks").get(0).get("threshold").asText()).isEqualTo("[99.0, +inf]");

      Scenario.await("Teams to get the warnings and the rollback", Duration.ofSeconds(30), () -> summaries(receiver,
          "/teams").contains("echo." + n + " RolledBack (error)"));
      assertThat(summaries(receiver, "/teams")).contains("echo." + n + " CheckFailed (warn)")
          .allSatisfy(t -> assertThat(t).doesNotContain("(info)"));
      JsonNode card = receiver.json("/teams").stream()
          .filter(c -> c.get("summary").asText().contains("RolledBack")).findFirst().orElseThrow();
      assertThat(fields(card)).containsExactly("@type", "@context", "themeColor", "summary", "sections");
      assertThat(card.get("@type").asText()).isEqualTo("MessageCard");
      assertThat(card.get("themeColor").asText()).isEqualTo("A30200");
      assertThat(card.get("sections").get(0).get("activitySubtitle").asText()).isEqualTo(rolledBack.getMessage());
      assertThat(card.get("sections").get(0).get("facts").toString())
          .contains("{\"name\":\"request-success-rate\",\"value\":\"" + rateValue + "\"}");

      Scenario.await("Discord to get every decision", Duration.ofSeconds(30), () -> receiver.json("/discord").stream()
          .anyMatch(d -> d.get("content").asText().contains("RolledBack")));
      assertThat(receiver.json("/discord")).extracting(d -> d.get("content").asText())
          .contains("echo." + n + " NewRevision (info)", "echo." + n + " CanaryReady (info)");
      JsonNode embed = receiver.json("/discord").stream().filter(d -> d.get("content").asText().contains("RolledBack"))
          .findFirst().orElseThrow().get("embeds").get(0);
      assertThat(embed.get("color").asInt()).isEqualTo(0xA30200);
      assertThat(embed.get("description").asText()).isEqualTo(rolledBack.getMessage());
      assertThat(embed.get("fields").get(0).get("value").asText()).isEqualTo(rateValue);
      assertThat(s.primaryVersion()).as("alerts, down or not, never held the rollback").isEqualTo("plonk/echo:v1");

      // a provider answering 503 gets each alert exactly 3 times (bounded retries), then it is logged and dropped
      Scenario.await("the failing provider to get the rollback and every other alert 3 times", Duration.ofSeconds(60),
          () -> attempts(receiver).values().stream().allMatch(c -> c == 3) && receiver.json("/failing").stream()
              .filter(a -> a.get("reason").asText().equals("RolledBack")).count() == 3);
      assertThat(attempts(receiver).values()).as("attempts per alert").containsOnly(3L);
      assertThat(receiver.json("/failing")).extracting(a -> a.get("severity").asText()).containsOnly("warn", "error");
    }
  }

  private static String expectedSlack(String ns, Rollout failed, String message, String rateValue,
      dev.plonk.api.v1alpha1.AnalysisResult latency) {
    String latencyValue = new AlertMessage.Check(latency.metric, latency.value,
        latency.thresholdRange, Boolean.TRUE.equals(latency.passed), latency.message).summary();
    return "{\"channel\":\"#releases\",\"username\":\"plonk-bot\",\"text\":\"echo." + ns + " RolledBack (error)\","
        + "\"attachments\":[{\"color\":\"danger\",\"title\":\"RolledBack: echo." + ns + " revision "
        + failed.getStatus().lastAppliedSpec + ", phase Failed\",\"text\":" + quote(message) + ",\"fields\":["
        + "{\"title\":\"request-success-rate\",\"value\":\"" + rateValue + "\",\"short\":false},"
        + "{\"title\":\"request-duration\",\"value\":\"" + latencyValue + "\",\"short\":false}]}]}";
  }

  private static String quote(String s) {
    return new com.fasterxml.jackson.databind.node.TextNode(s).toString();
  }

  private static Map<String, Long> attempts(HookReceiver receiver) {
    return receiver.bodies("/failing").stream()
        .collect(java.util.stream.Collectors.groupingBy(b -> b, java.util.stream.Collectors.counting()));
  }

  private static List<String> summaries(HookReceiver receiver, String path) {
    return receiver.json(path).stream().map(c -> c.get("summary").asText()).toList();
  }

  private static List<String> fields(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static void provider(KubernetesClient client, String ns, String name, AlertProviderSpec spec) {
    AlertProvider p = new AlertProvider();
    p.getMetadata().setName(name);
    p.getMetadata().setNamespace(ns);
    p.setSpec(spec);
    client.resource(p).create();
  }
}
