package dev.plonk.controller.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.AlertProviderSpec;
import dev.plonk.api.v1alpha1.AlertProviderType;
import dev.plonk.api.v1alpha1.Severity;
import dev.plonk.controller.analysis.DecisionEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each service's incoming-webhook format, as exact JSON, for a rollback that carries its numbers. */
class AlertFormatTest {
  static final AlertMessage ROLLBACK = new AlertMessage("echo", "team-a", "Failed", "5d8f7c", Severity.ERROR,
      "RolledBack", "rolled back revision 5d8f7c from canary weight 10: 3/3 failed checks, last: request-success-rate = "
      + "50 outside [99.0, +inf]", List.of(
          new AlertMessage.Check("request-success-rate", 50.0, "[99.0, +inf]", false, "request-success-rate = 50 outside [99.0, +inf]"),
          new AlertMessage.Check("request-duration", 20.5, "[-inf, 500.0]", true, "request-duration = 20.500 within [-inf, 500.0]")));

  @Test
  void slackHasChannelUsernameAndAColouredAttachmentWithTheChecks() {
    AlertProviderSpec slack = new AlertProviderSpec(AlertProviderType.SLACK, "https://hooks.slack.com/services/T/B/x");
    slack.channel = "#releases";
    slack.username = "plonk-bot";
    assertThat(AlertFormat.render(slack, ROLLBACK)).isEqualTo("{\"channel\":\"#releases\",\"username\":\"plonk-bot\","
        + "\"text\":\"echo.team-a RolledBack (error)\",\"attachments\":[{\"color\":\"danger\",\"title\":\"RolledBack: "
        + "echo.team-a revision 5d8f7c, phase Failed\",\"text\":\"" + ROLLBACK.text() + "\",\"fields\":["
        + "{\"title\":\"request-success-rate\",\"value\":\"50 (threshold [99.0, +inf]): failed\",\"short\":false},"
        + "{\"title\":\"request-duration\",\"value\":\"20.500 (threshold [-inf, 500.0]): passed\",\"short\":false}]}]}");
  }

  @Test
  void msteamsIsAMessageCardWithFacts() {
    AlertProviderSpec teams = new AlertProviderSpec(AlertProviderType.MSTEAMS, "https://example.webhook.office.com/x");
    assertThat(AlertFormat.render(teams, ROLLBACK)).isEqualTo("{\"@type\":\"MessageCard\",\"@context\":"
        + "\"https://schema.org/extensions\",\"themeColor\":\"A30200\",\"summary\":\"echo.team-a RolledBack (error)\","
        + "\"sections\":[{\"activityTitle\":\"echo.team-a RolledBack (error)\",\"activitySubtitle\":\"" + ROLLBACK.text()
        + "\",\"facts\":[{\"name\":\"phase\",\"value\":\"Failed\"},{\"name\":\"revision\",\"value\":\"5d8f7c\"},"
        + "{\"name\":\"request-success-rate\",\"value\":\"50 (threshold [99.0, +inf]): failed\"},"
        + "{\"name\":\"request-duration\",\"value\":\"20.500 (threshold [-inf, 500.0]): passed\"}]}]}");
  }

  @Test
  void discordHasUsernameContentAndAnEmbedWithAnIntegerColour() {
    AlertProviderSpec discord = new AlertProviderSpec(AlertProviderType.DISCORD, "https://discord.com/api/webhooks/1/x");
    assertThat(AlertFormat.render(discord, ROLLBACK)).isEqualTo("{\"username\":\"plonk\",\"content\":"
        + "\"echo.team-a RolledBack (error)\",\"embeds\":[{\"title\":\"RolledBack: echo.team-a revision 5d8f7c\","
        + "\"description\":\"" + ROLLBACK.text() + "\",\"color\":10682880,\"fields\":["
        + "{\"name\":\"request-success-rate\",\"value\":\"50 (threshold [99.0, +inf]): failed\",\"inline\":false},"
        + "{\"name\":\"request-duration\",\"value\":\"20.500 (threshold [-inf, 500.0]): passed\",\"inline\":false}]}]}");
  }

  @Test
  void genericCarriesTheChecksAsNumbers() {
    AlertProviderSpec generic = new AlertProviderSpec(AlertProviderType.GENERIC, "http://receiver.team-a/alerts");
    assertThat(AlertFormat.render(generic, ROLLBACK)).isEqualTo("{\"name\":\"echo\",\"namespace\":\"team-a\","
        + "\"phase\":\"Failed\",\"revision\":\"5d8f7c\",\"severity\":\"error\",\"reason\":\"RolledBack\",\"message\":\""
        + ROLLBACK.text() + "\",\"checks\":[{\"metric\":\"request-success-rate\",\"value\":50.0,\"threshold\":"
        + "\"[99.0, +inf]\",\"passed\":false,\"message\":\"request-success-rate = 50 outside [99.0, +inf]\"},"
        + "{\"metric\":\"request-duration\",\"value\":20.5,\"threshold\":\"[-inf, 500.0]\",\"passed\":true,"
        + "\"message\":\"request-duration = 20.500 within [-inf, 500.0]\"}]}");
  }

  @Test
  void aMutedHookSendsNoAlertAboutItself() {
    dev.plonk.api.v1alpha1.Rollout r = new dev.plonk.api.v1alpha1.Rollout();
    r.setSpec(new dev.plonk.api.v1alpha1.RolloutSpec());
    r.getSpec().analysis = new dev.plonk.api.v1alpha1.AnalysisSpec();
    dev.plonk.api.v1alpha1.Webhook quiet = new dev.plonk.api.v1alpha1.Webhook("load-test",
        dev.plonk.api.v1alpha1.WebhookType.ROLLOUT, "http://tester/");
    quiet.muteAlert = true;
    r.getSpec().analysis.webhooks.add(quiet);
    assertThat(Muted.by(r, DecisionEvent.warning("CheckFailed", "failed check 1/3 at canary weight 10: rollout "
        + "webhook 'load-test' (http://tester/) failed: HTTP 500"))).isTrue();
    assertThat(Muted.by(r, DecisionEvent.warning("CheckFailed", "failed check 1/3 at canary weight 10: "
        + "request-success-rate = 50 outside [99.0, +inf]"))).isFalse();
  }

  @Test
  void levelsFollowFlaggersSeverities() {
    assertThat(AlertMessage.level(DecisionEvent.warning("RolledBack", "x"))).isEqualTo(Severity.ERROR);
    assertThat(AlertMessage.level(DecisionEvent.warning("CheckFailed", "x"))).isEqualTo(Severity.WARN);
    assertThat(AlertMessage.level(DecisionEvent.normal("WaitingPromotion", "x"))).isEqualTo(Severity.WARN);
    assertThat(AlertMessage.level(DecisionEvent.normal("WeightChanged", "x"))).isEqualTo(Severity.INFO);
    assertThat(Severity.INFO.admits(Severity.INFO)).isTrue();
    assertThat(Severity.WARN.admits(Severity.INFO)).isFalse();
    assertThat(Severity.WARN.admits(Severity.ERROR)).isTrue();
    assertThat(Severity.ERROR.admits(Severity.WARN)).isFalse();
  }
}
