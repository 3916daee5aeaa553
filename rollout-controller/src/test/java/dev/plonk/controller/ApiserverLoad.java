package dev.plonk.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kube-apiserver's own view of a benchmark window, from its /metrics: requests served by verb
 * ({@code apiserver_request_total}), their mean duration ({@code apiserver_request_duration_seconds}, WATCH and
 * CONNECT excluded as the apiserver does), and its own CPU ({@code process_cpu_seconds_total}).
 */
final class ApiserverLoad {
  private static final Pattern LINE = Pattern.compile(
      "^(apiserver_request_total|apiserver_request_duration_seconds_sum|apiserver_request_duration_seconds_count)\\{([^}]*)} ([-+0-9.eE]+)$"
          + "|^(process_cpu_seconds_total) ([-+0-9.eE]+)$", Pattern.MULTILINE);
  private static final Pattern VERB = Pattern.compile("verb=\"([A-Z]+)\"");
  private static final Pattern RESOURCE = Pattern.compile("(?<![a-z])resource=\"([a-z0-9.]+)\"");
  private static final Pattern SUBRESOURCE = Pattern.compile("subresource=\"([a-z]+)\"");
  private static final String BY_RESOURCE = "by-resource/";

  record Sample(Map<String, Double> values) {
    double get(String key) {
      return values.getOrDefault(key, 0.0);
    }
  }

  private ApiserverLoad() {
  }

  static Sample sample(KubernetesClient client) {
    Map<String, Double> values = new TreeMap<>();
    Matcher m = LINE.matcher(client.raw("/metrics"));
    while (m.find()) {
      if (m.group(4) != null) {
        values.put("cpu", Double.parseDouble(m.group(5)));
        continue;
      }
      Matcher verb = VERB.matcher(m.group(2));
      String v = verb.find() ? verb.group(1) : "?";
      values.merge(m.group(1) + "/" + v, Double.parseDouble(m.group(3)), Double::sum);
      Matcher resource = RESOURCE.matcher(m.group(2));
      if (m.group(1).equals("apiserver_request_total") && resource.find()) {
        String sub = SUBRESOURCE.matcher(m.group(2)).find() ? "/" + subresource(m.group(2)) : "";
        values.merge(BY_RESOURCE + v + " " + resource.group(1) + sub, Double.parseDouble(m.group(3)), Double::sum);
      }
    }
    return new Sample(values);
  }

  private static String subresource(String labels) {
    Matcher m = SUBRESOURCE.matcher(labels);
    return m.find() ? m.group(1) : "";
  }

  /** The {@code top} verb-and-resource pairs by requests over the window, each divided by {@code per}. */
  static String topRequests(Sample from, Sample to, int top, double per) {
    return to.values().keySet().stream().filter(k -> k.startsWith(BY_RESOURCE))
        .map(k -> Map.entry(k.substring(BY_RESOURCE.length()), to.get(k) - from.get(k))).filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
        .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / per))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** Requests per second by verb with their mean duration, and the apiserver's CPU use, over {@code seconds}. */
  static String describe(Sample from, Sample to, double seconds) {
    StringBuilder text = new StringBuilder();
    double total = 0;
    for (String verb : new String[] {"GET", "LIST", "POST", "PUT", "PATCH", "APPLY", "DELETE"}) {
      double count = to.get("apiserver_request_total/" + verb) - from.get("apiserver_request_total/" + verb);
      double durCount = to.get("apiserver_request_duration_seconds_count/" + verb)
          - from.get("apiserver_request_duration_seconds_count/" + verb);
      double durSum = to.get("apiserver_request_duration_seconds_sum/" + verb)
          - from.get("apiserver_request_duration_seconds_sum/" + verb);
      total += count;
      if (count > 0) {
        text.append(String.format(Locale.ROOT, "%s %.1f/s (mean %.0f ms), ", verb, count / seconds,
            durCount > 0 ? durSum / durCount * 1000 : Double.NaN));
      }
    }
    return text.append(String.format(Locale.ROOT, "all %.1f requests/s; apiserver CPU %.2f cores",
        total / seconds, (to.get("cpu") - from.get("cpu")) / seconds)).toString();
  }
}
