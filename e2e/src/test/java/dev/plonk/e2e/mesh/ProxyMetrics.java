package dev.plonk.e2e.mesh;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A Linkerd proxy's own metrics (Prometheus text format from its admin port), parsed into samples. */
record ProxyMetrics(String source, List<Sample> samples) {
  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One sample: metric name, labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  static ProxyMetrics scrape(String podIp) {
    String url = "http://" + podIp + ":4191/metrics";
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
      }
      return parse(url, response.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot read the proxy's metrics at " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static ProxyMetrics parse(String source, String text) {
    List<Sample> samples = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(LINE::matcher)
        .filter(Matcher::matches).map(m -> {
          Map<String, String> labels = new HashMap<>();
          if (m.group(2) != null) {
            Matcher label = LABEL.matcher(m.group(2));
            while (label.find()) {
              labels.put(label.group(1), label.group(2));
            }
          }
          return new Sample(m.group(1), labels, Double.parseDouble(m.group(3)));
        }).toList();
    return new ProxyMetrics(source, samples);
  }

  /** The sum of {@code name}'s samples whose labels include every one of {@code match}. */
  double sum(String name, Map<String, String> match) {
    return matching(name, match).stream().mapToDouble(Sample::value).sum();
  }

  List<Sample> matching(String name, Map<String, String> match) {
    return samples.stream().filter(s -> s.name().equals(name))
        .filter(s -> match.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey())))).toList();
  }

  /** The samples of {@code name}, one per line, for a failure message. */
  String show(String name) {
    return source + ":\n" + samples.stream().filter(s -> s.name().equals(name)).map(s -> "  " + s)
        .collect(Collectors.joining("\n"));
  }
}
