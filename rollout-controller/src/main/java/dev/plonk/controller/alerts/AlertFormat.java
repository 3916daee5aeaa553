package dev.plonk.controller.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plonk.api.v1alpha1.AlertProviderSpec;
import dev.plonk.api.v1alpha1.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link AlertMessage} in each service's incoming-webhook format. Pure: the exact JSON is unit-tested
 * ({@code AlertFormatTest}) and asserted again on a local receiver ({@code AlertsIT}).
 * <ul>
 *   <li>slack: {@code text}, {@code channel} and {@code username} when set, one {@code attachments[]} entry with
 *       {@code color} (good / warning / danger), {@code title}, {@code text} and {@code fields[] {title, value, short}};
 *   <li>msteams: an Office 365 connector {@code MessageCard} with {@code themeColor}, {@code summary} and one section
 *       with {@code activityTitle}, {@code activitySubtitle} and {@code facts[] {name, value}};
 *   <li>discord: {@code username}, {@code content} and one {@code embeds[]} entry with {@code title},
 *       {@code description}, {@code color} (an integer) and {@code fields[] {name, value, inline}};
 *   <li>generic: Plonk's own JSON, {@code name, namespace, phase, revision, severity, reason, message, checks[]}.
 * </ul>
 */
public final class AlertFormat {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int DISCORD_CONTENT_MAX = 2000;
  static final int DISCORD_FIELD_MAX = 1024;

  private AlertFormat() {}

  public static String render(AlertProviderSpec provider, AlertMessage m) {
    Object body = switch (provider.type) {
      case SLACK -> slack(provider, m);
      case MSTEAMS -> teams(m);
      case DISCORD -> discord(provider, m);
      case GENERIC -> generic(m);
    };
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an alert", e);
    }
  }

  static Map<String, Object> slack(AlertProviderSpec provider, AlertMessage m) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (provider.channel != null) {
      out.put("channel", provider.channel);
    }
    out.put("username", provider.usernameOrDefault());
    out.put("text", m.title());
    List<Object> fields = new ArrayList<>();
    for (AlertMessage.Check c : m.checks()) {
      fields.add(obj("title", c.metric(), "value", c.summary(), "short", false));
    }
    Map<String, Object> attachment = obj("color", switch (m.level()) {
      case INFO -> "good";
      case WARN -> "warning";
      case ERROR -> "danger";
    }, "title", m.reason() + ": " + m.subject() + " revision " + m.revision() + ", phase " + m.phase(),
        "text", m.text(), "fields", fields);
    out.put("attachments", List.of(attachment));
    return out;
  }

  static Map<String, Object> teams(AlertMessage m) {
    List<Object> facts = new ArrayList<>();
    facts.add(obj("name", "phase", "value", m.phase()));
    facts.add(obj("name", "revision", "value", m.revision()));
    for (AlertMessage.Check c : m.checks()) {
      facts.add(obj("name", c.metric(), "value", c.summary()));
    }
    Map<String, Object> section = obj("activityTitle", m.title(), "activitySubtitle", m.text(), "facts", facts);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("@type", "MessageCard");
    out.put("@context", "https://schema.org/extensions");
    out.put("themeColor", hex(m.level()));
    out.put("summary", m.title());
    out.put("sections", List.of(section));
    return out;
  }

  static Map<String, Object> discord(AlertProviderSpec provider, AlertMessage m) {
    List<Object> fields = new ArrayList<>();
    for (AlertMessage.Check c : m.checks()) {
      fields.add(obj("name", c.metric(), "value", cut(c.summary(), DISCORD_FIELD_MAX), "inline", false));
    }
    Map<String, Object> embed = obj("title", m.reason() + ": " + m.subject() + " revision " + m.revision(),
        "description", cut(m.text(), DISCORD_CONTENT_MAX), "color", Integer.parseInt(hex(m.level()), 16),
        "fields", fields);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("username", provider.usernameOrDefault());
    out.put("content", cut(m.title(), DISCORD_CONTENT_MAX));
    out.put("embeds", List.of(embed));
    return out;
  }

  static Map<String, Object> generic(AlertMessage m) {
    List<Object> checks = new ArrayList<>();
    for (AlertMessage.Check c : m.checks()) {
      Map<String, Object> check = new LinkedHashMap<>();
      check.put("metric", c.metric());
      check.put("value", c.value());
      check.put("threshold", c.threshold());
      check.put("passed", c.passed());
      check.put("message", c.message());
      checks.add(check);
    }
    Map<String, Object> out = obj("name", m.name(), "namespace", m.namespace(), "phase", m.phase(),
        "revision", m.revision(), "severity", m.level().wire(), "reason", m.reason());
    out.put("message", m.text());
    out.put("checks", checks);
    return out;
  }

  static String hex(Severity level) {
    return switch (level) {
      case INFO -> "2EB886";
      case WARN -> "DAA038";
      case ERROR -> "A30200";
    };
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  private static Map<String, Object> obj(Object... pairs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], pairs[i + 1]);
    }
    return out;
  }
}
