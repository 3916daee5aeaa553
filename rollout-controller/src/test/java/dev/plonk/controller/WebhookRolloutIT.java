package dev.plonk.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.Provider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.Webhook;
import dev.plonk.api.v1alpha1.WebhookType;
import dev.plonk.controller.analysis.Statuses;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.Prometheus;
import dev.plonk.devstack.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every webhook type against a local receiver that answers 200, 500 or hangs, on the devstack (real apiserver, real
 * Prometheus, in-process operator). Gates are opened by flipping the receiver; each test ends in the promotion or the
 * rollback Flagger's semantics say.
 */
@DevStackTest(processRuntime = true, prometheus = true, upstreamCrds = true)
class WebhookRolloutIT {

  @Test
  void gatesHoldUntilTheReceiverAnswers2xxAndEveryOtherHookHearsTheRollout(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI);
        HookReceiver receiver = new HookReceiver()) {
      s.canaryServes(20, 0);
      Webhook load = hook("load-test", WebhookType.ROLLOUT, receiver.url("/load", 200));
      load.metadata = Map.of("type", "cmd", "cmd", "hey -z 1m -q 10 -c 2 http://echo-canary." + ns.name() + ":8080/");
      s.bootstrap(spec -> spec.analysis.webhooks.addAll(List.of(
          hook("approve-rollout", WebhookType.CONFIRM_ROLLOUT, receiver.url("/confirm-rollout", 403)),
          hook("acceptance", WebhookType.PRE_ROLLOUT, receiver.url("/pre", 200)),
          load,
          hook("approve-promotion", WebhookType.CONFIRM_PROMOTION, receiver.url("/confirm-promotion", 403)),
          hook("notify", WebhookType.POST_ROLLOUT, receiver.url("/post", 200)),
          hook("audit", WebhookType.EVENT, receiver.url("/events", 200)))));

      s.setVersion("v2");
      Rollout held = awaitGate(s, "ConfirmRollout", "confirm-rollout webhook 'approve-rollout'", "HTTP 403");
      assertThat(held.getStatus().phase).isEqualTo(Phase.Waiting);
      assertThat(s.targetReplicas()).as("confirm-rollout holds before the canary is scaled up").isZero();
      JsonNode asked = receiver.json("/confirm-rollout").get(0);
      assertThat(fieldNames(asked)).containsExactly("name", "namespace", "phase", "checksum");
      assertThat(asked.get("name").asText()).isEqualTo("echo");
      assertThat(asked.get("namespace").asText()).isEqualTo(ns.name());
      assertThat(asked.get("phase").asText()).isEqualTo("Waiting");
      assertThat(asked.get("checksum").asText()).isEqualTo(held.getStatus().lastAppliedSpec);

      receiver.answer("/confirm-rollout", 200);
      Rollout waitingPromotion = s.awaitPhase(Phase.WaitingPromotion, Duration.ofSeconds(60));
      assertThat(s.weightChanges()).containsExactly("0->10", "10->20", "20->30", "30->40", "40->50");
      assertThat(condition(waitingPromotion, RolloutStatus.GATE).getReason()).isEqualTo("ConfirmPromotion");
      assertThat(receiver.json("/pre")).isNotEmpty().allSatisfy(p -> assertThat(p.get("phase").asText())
          .isEqualTo("Progressing"));
      assertThat(receiver.json("/load")).hasSizeGreaterThanOrEqualTo(5).allSatisfy(p -> {
        assertThat(p.get("metadata").get("type").asText()).isEqualTo("cmd");
        assertThat(p.get("metadata").get("cmd").asText()).startsWith("hey -z 1m");
      });
      awaitGate(s, "ConfirmPromotion", "confirm-promotion webhook 'approve-promotion'", "HTTP 403");

      receiver.answer("/confirm-promotion", 200);
      Rollout done = s.awaitPhase(Phase.Succeeded, Duration.ofSeconds(60));
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v2");
      assertThat(s.eventReasons()).contains("Halted", "Confirmed", "WaitingPromotion", "Promoting", "Succeeded");
      Scenario.await("the post-rollout hook called once", Duration.ofSeconds(30), () -> receiver.json("/post").size() == 1);
      JsonNode post = receiver.json("/post").get(0);
      assertThat(post.get("phase").asText()).isEqualTo("Succeeded");
      assertThat(post.get("checksum").asText()).isEqualTo(done.getStatus().lastAppliedSpec);

      Scenario.await("the event hook to get every Event recorded", Duration.ofSeconds(30), () -> received(receiver)
          .containsAll(s.events().stream().map(Event::getMessage).toList()));
      JsonNode event = receiver.json("/events").stream()
          .filter(e -> e.get("metadata").get("eventMessage").asText().startsWith("revision ")
              && e.get("phase").asText().equals("Succeeded")).findFirst().orElseThrow();
      assertThat(event.get("metadata").get("eventType").asText()).isEqualTo("Normal");
      assertThat(event.get("metadata").get("timestamp").asText()).matches("\\d{13}");
    }
  }

  @Test
  void trafficIncreaseGateHoldsTheWeightAndARollbackHookRollsBack(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.GATEWAY_API);
        HookReceiver receiver = new HookReceiver()) {
      s.canaryServes(20, 0);
      s.canaryFails();
      s.bootstrap(spec -> {
        spec.analysis.threshold = 100;
        spec.analysis.webhooks.add(hook("approve-step", WebhookType.CONFIRM_TRAFFIC_INCREASE, receiver.url("/step", 500)));
        spec.analysis.webhooks.add(hook("stop-switch", WebhookType.ROLLBACK, receiver.url("/rollback", 500)));
      });
      s.setVersion("v2");
      Rollout held = awaitGate(s, "ConfirmTrafficIncrease", "confirm-traffic-increase webhook 'approve-step'",
          "HTTP 500");
      assertThat(held.getStatus().canaryWeight).isZero();
      assertThat(s.weightChanges()).isEmpty();

      receiver.answer("/step", 200);
      s.awaitHeldAt(10, Duration.ofSeconds(60));
      assertThat(s.weightChanges()).containsExactly("0->10");
      assertThat(receiver.json("/rollback")).isNotEmpty();

      receiver.answer("/rollback", 200);
      Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(60));
      Condition ready = condition(failed, RolloutStatus.READY);
      assertThat(ready.getReason()).isEqualTo("RollbackWebhook");
      assertThat(ready.getMessage()).contains("rollback webhook 'stop-switch'").contains("answered HTTP 200");
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
      Scenario.await("the canary scaled to 0", Duration.ofSeconds(10), () -> s.targetReplicas() == 0);
    }
  }

  @Test
  void failingPreRolloutHookCountsAsAFailedCheck(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI);
        HookReceiver receiver = new HookReceiver()) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> {
        spec.analysis.webhooks.add(hook("acceptance", WebhookType.PRE_ROLLOUT, receiver.url("/pre", 500)));
        spec.analysis.webhooks.add(hook("smoke", WebhookType.PRE_ROLLOUT, "http://127.0.0.1:1/refused"));
        spec.analysis.webhooks.add(hook("notify", WebhookType.POST_ROLLOUT, receiver.url("/post", 200)));
      });
      s.setVersion("v2");
      Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(60));
      assertThat(failed.getStatus().failedChecks).isEqualTo(3);
      assertThat(s.weightChanges()).as("no traffic before pre-rollout passes").isEmpty();
      assertThat(condition(failed, RolloutStatus.READY).getMessage()).contains("3/3 failed checks")
          .contains("pre-rollout webhook 'acceptance'").contains("HTTP 500")
          .contains("pre-rollout webhook 'smoke' (http://127.0.0.1:1/refused) failed: connection refused");
      assertThat(failed.getStatus().lastAnalysis).extracting(r -> r.metric + " " + r.passed)
          .containsExactly("acceptance false", "smoke false");
      assertThat(receiver.bodies("/pre")).hasSize(3);
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
      Scenario.await("the post-rollout hook told of the failure", Duration.ofSeconds(30),
          () -> receiver.json("/post").size() == 1);
      assertThat(receiver.json("/post").get(0).get("phase").asText()).isEqualTo("Failed");
    }
  }

  @Test
  void hangingRolloutHookIsBoundedByItsTimeoutAndCounted(KubernetesClient client, Kubernetes k8s,
      Prometheus prometheus, TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI);
        HookReceiver receiver = new HookReceiver()) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> {
        Webhook slow = hook("load-test", WebhookType.ROLLOUT, receiver.url("/hang", HookReceiver.HANG));
        slow.timeout = "1s";
        slow.retries = 1;
        spec.analysis.webhooks.add(slow);
      });
      s.setVersion("v2");
      Rollout failed = s.awaitPhase(Phase.Failed, Duration.ofSeconds(90));
      assertThat(failed.getStatus().failedChecks).isEqualTo(3);
      assertThat(condition(failed, RolloutStatus.READY).getMessage())
          .contains("rollout webhook 'load-test'").contains("timed out after 1s (2 attempts)");
      assertThat(receiver.bodies("/hang")).as("3 ticks, 2 attempts each").hasSize(6);
      assertThat(s.eventReasons()).contains("CheckFailed", "RolledBack");
    }
  }

  @Test
  void theReconcileGoesOnWhileAHookHangs(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI);
        HookReceiver receiver = new HookReceiver()) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> {
        Webhook slow = hook("load-test", WebhookType.ROLLOUT, receiver.url("/hang", HookReceiver.HANG));
        slow.timeout = "10m";
        spec.analysis.webhooks.add(slow);
      });
      s.setVersion("v2");
      Scenario.await("the tick waiting for its hanging hook", Duration.ofSeconds(60), () -> {
        Rollout r = s.rollout();
        return r.getStatus() != null && r.getStatus().message != null
            && r.getStatus().message.startsWith("analysis tick waiting for its webhooks to answer");
      });
      s.kubectl("annotate", "rollout", "echo", "plonk.dev/action=abort");
      Rollout aborted = s.awaitPhase(Phase.Failed, Duration.ofSeconds(60));
      assertThat(condition(aborted, RolloutStatus.READY).getReason()).isEqualTo("Aborted");
      assertThat(aborted.getStatus().failedChecks).as("aborted while the call was still in flight").isZero();
      assertThat(receiver.bodies("/hang")).as("one call, still hanging: never a second in the same scope").hasSize(1);
    }
  }

  static Webhook hook(String name, WebhookType type, String url) {
    return new Webhook(name, type, url);
  }

  /** Waits until the Gate condition holds the rollout with {@code reason}, naming the hook and its last answer. */
  /** No phase waits forever: a gate still closed past progressDeadlineSeconds (counted from its closing) rolls back. */
  @Test
  void gateClosedPastTheDeadlineRollsBack(KubernetesClient client, Kubernetes k8s, Prometheus prometheus,
      TestNamespace ns) throws Exception {
    try (Scenario s = new Scenario(client, k8s, prometheus, ns.name(), Provider.SMI);
        HookReceiver receiver = new HookReceiver()) {
      s.canaryServes(20, 0);
      s.bootstrap(spec -> spec.analysis.webhooks.add(
          hook("approve-rollout", WebhookType.CONFIRM_ROLLOUT, receiver.url("/confirm-rollout", 403))));
      s.setVersion("v2");
      awaitGate(s, "ConfirmRollout", "confirm-rollout webhook 'approve-rollout'", "HTTP 403");
      s.patchSpec("{\"progressDeadlineSeconds\":5}");
      assertThat(s.awaitDeadlineRollback(Duration.ofSeconds(60))).contains("from canary weight 0: the ConfirmRollout "
          + "gate stayed closed for longer than progressDeadlineSeconds=5: waiting for confirm-rollout webhook "
          + "'approve-rollout'").contains("HTTP 403");
      assertThat(s.targetReplicas()).as("the canary was never scaled up").isZero();
      assertThat(s.primaryVersion()).isEqualTo("plonk/echo:v1");
    }
  }

  static Rollout awaitGate(Scenario s, String reason, String names, String answer) {
    Scenario.await("the " + reason + " gate naming " + names + " and " + answer, Duration.ofSeconds(60), () -> {
      Rollout r = s.rollout();
      Condition gate = r == null || r.getStatus() == null ? null : Statuses.find(r.getStatus(), RolloutStatus.GATE);
      return gate != null && "False".equals(gate.getStatus()) && reason.equals(gate.getReason())
          && gate.getMessage().contains(names) && gate.getMessage().contains(answer);
    });
    return s.rollout();
  }

  static Condition condition(Rollout r, String type) {
    return Statuses.find(r.getStatus(), type);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static Set<String> received(HookReceiver receiver) {
    return receiver.json("/events").stream().map(e -> e.get("metadata").get("eventMessage").asText())
        .collect(Collectors.toSet());
  }
}
