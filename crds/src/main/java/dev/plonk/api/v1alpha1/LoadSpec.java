package dev.plonk.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Duration;
import java.util.Map;

/**
 * {@code analysis.load}: synthetic requests the controller sends to the canary while it is analysed, through the
 * gateway's authenticated canary path. Bounded in rate ({@value #MAX_RATE}/s), concurrency and request size; it runs
 * only while the canary is analysed (Progressing, WaitingPromotion) and stops with the analysis. Every default is declared here once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.body) || !(self.method in ['GET', 'HEAD'])",
    message = "analysis.load.body needs a method that carries one (POST, PUT, PATCH or DELETE)")
public class LoadSpec {
  public static final int MAX_RATE = 200;
  public static final String DEFAULT_RATE = "10";
  public static final String DEFAULT_CONCURRENCY = "4";
  public static final String DEFAULT_METHOD = "GET";
  public static final String DEFAULT_PATH = "/";
  public static final String DEFAULT_TIMEOUT = "5s";
  /** Headers the generator sets itself (or the HTTP client forbids): refused in the spec. */
  public static final String RESERVED_HEADERS = "['host', 'connection', 'content-length', 'expect', 'upgrade', "
      + "'authorization', 'transfer-encoding', 'te', 'trailer', 'keep-alive', 'proxy-authorization']";

  @Default(DEFAULT_RATE)
  @Min(1)
  @Max(MAX_RATE)
  @JsonPropertyDescription("Requests per second sent to the canary, 1.." + MAX_RATE + ". Default " + DEFAULT_RATE + ".")
  public Integer rate;

  @Default(DEFAULT_CONCURRENCY)
  @Min(1)
  @Max(32)
  @JsonPropertyDescription("Requests in flight at most, 1..32; a request that would exceed it is skipped (counted), "
      + "never queued. Default " + DEFAULT_CONCURRENCY + ".")
  public Integer concurrency;

  @Default(DEFAULT_METHOD)
  @Pattern("^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$")
  @JsonPropertyDescription("HTTP method: GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS. Default " + DEFAULT_METHOD + ".")
  public String method;

  @Default(DEFAULT_PATH)
  @Pattern("^/[\\x21-\\x7e]*$")
  @Size(max = 1024)
  @JsonPropertyDescription("Path and query inside the function, starting with '/' (printable ASCII, percent-encoded), "
      + "e.g. /orders?id=1. Default " + DEFAULT_PATH + ".")
  public String path;

  @Size(max = 65536)
  @JsonPropertyDescription("Request body (UTF-8 text, at most 64 KiB); needs POST, PUT, PATCH or DELETE.")
  public String body;

  @Size(max = 20)
  @ValidationRule(value = "self.all(k, k.matches('^[A-Za-z0-9!#$%&*+.^_`|~-]+$'))",
      message = "analysis.load.headers names must be HTTP tokens, e.g. Content-Type")
  @ValidationRule(value = "self.all(k, !(k.lowerAscii() in " + RESERVED_HEADERS + "))",
      message = "analysis.load.headers must not set Host, Authorization, Content-Length or hop-by-hop headers: the "
          + "generator sets them")
  @JsonPropertyDescription("Request headers (at most 20), e.g. {Content-Type: application/json}; Host, Authorization, "
      + "Content-Length and hop-by-hop headers are refused.")
  public Map<String, String> headers;

  @Default(DEFAULT_TIMEOUT)
  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) >= duration('100ms') && duration(self) <= duration('60s')",
      message = "analysis.load.timeout must be between 100ms and 60s")
  @JsonPropertyDescription("How long one request may take, 100ms..60s, as a Go duration; a request over it counts as a "
      + "timeout on the generator's side. Default " + DEFAULT_TIMEOUT + ".")
  public String timeout;

  public int rateOrDefault() {
    return rate == null ? Integer.parseInt(DEFAULT_RATE) : rate;
  }

  public int concurrencyOrDefault() {
    return concurrency == null ? Integer.parseInt(DEFAULT_CONCURRENCY) : concurrency;
  }

  public String methodOrDefault() {
    return method == null ? DEFAULT_METHOD : method;
  }

  public String pathOrDefault() {
    return path == null ? DEFAULT_PATH : path;
  }

  public Map<String, String> headersOrEmpty() {
    return headers == null ? Map.of() : headers;
  }

  public Duration timeoutDuration() {
    return Durations.parse(timeout == null ? DEFAULT_TIMEOUT : timeout);
  }
}
