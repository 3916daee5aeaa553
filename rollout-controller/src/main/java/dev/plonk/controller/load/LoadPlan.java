package dev.plonk.controller.load;

import dev.plonk.api.v1alpha1.LoadSpec;
import dev.plonk.api.v1alpha1.Phase;
import dev.plonk.api.v1alpha1.RolloutSpec;
import dev.plonk.api.v1alpha1.RolloutStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * What one Rollout's generator sends: the same request, {@code rate} times a second, at most {@code concurrency} at
 * once, to the gateway's canary path {@code /system/canary/<apex>.<namespace><path>}. Two plans are equal when the
 * generator would send the same thing, so a spec edit restarts it and a status change does not.
 */
public record LoadPlan(String namespace, String name, URI uri, String method, String body, Map<String, String> headers,
    int rate, int concurrency, Duration timeout) {
  /** The gateway's internal path of generated load (served by its canary handler behind basic auth). */
  public static final String CANARY_PATH = "/system/canary/";
  /** Sent with every generated request, so the function's own logs can tell them apart. */
  public static final String MARK_HEADER = "X-Plonk-Load";

  /** True when the analysis in {@code next} should be loaded: asked for, and the canary is being analysed (its checks also run while a confirm-promotion webhook holds it in WaitingPromotion). */
  public static boolean wanted(RolloutSpec spec, RolloutStatus next) {
    return spec.analysis != null && spec.analysis.load != null
        && (next.phase == Phase.Progressing || next.phase == Phase.WaitingPromotion)
        && !spec.pausedOrFalse() && !spec.skipAnalysisOrFalse();
  }

  public static LoadPlan of(String namespace, String name, RolloutSpec spec, String gatewayUrl) {
    LoadSpec load = spec.analysis.load;
    String base = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
    URI uri = URI.create(base + CANARY_PATH + spec.apexName() + "." + namespace + load.pathOrDefault());
    return new LoadPlan(namespace, name, uri, load.methodOrDefault(), load.body, Map.copyOf(load.headersOrEmpty()),
        load.rateOrDefault(), load.concurrencyOrDefault(), load.timeoutDuration());
  }

  /**
   * The request, built once and sent again and again.
   *
   * @throws IllegalArgumentException when the JDK client refuses a header (the schema refuses the known ones)
   */
  public HttpRequest request(String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).method(method, body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(b::header);
    b.header(MARK_HEADER, namespace + "/" + name);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b.build();
  }

  /** For Events: {@code 20/s GET /path (concurrency 4)}. */
  public String describe() {
    String path = uri.getRawPath().substring(uri.getRawPath().indexOf('/', CANARY_PATH.length()));
    return rate + "/s " + method + " " + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
        + " (concurrency " + concurrency + ", timeout " + timeout.toMillis() + "ms)";
  }
}
