package dev.plonk.controller;

import dev.plonk.api.v1alpha1.MetricCheck;
import dev.plonk.api.v1alpha1.MetricProvider;
import dev.plonk.api.v1alpha1.MetricTemplate;
import dev.plonk.mesh.metrics.MetricTarget;
import dev.plonk.mesh.metrics.MetricsProvider;
import dev.plonk.mesh.metrics.PrometheusProvider;
import dev.plonk.mesh.metrics.QueryTemplate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves a check's {@code templateRef}: reads the {@link MetricTemplate} (in the Rollout's namespace unless the
 * reference names one), renders its query with the check's variables, and builds the provider it names, with the
 * credentials of its {@code secretRef}. Anything missing is a {@link TemplateException} whose message says what to fix;
 * the caller turns it into a failed check, never a pass.
 */
final class MetricTemplates {
  private final KubernetesClient client;
  private final HttpClient http;
  private final Duration timeout;
  private HttpClient insecure;

  MetricTemplates(KubernetesClient client, HttpClient http, Duration timeout) {
    this.client = client;
    this.http = http;
    this.timeout = timeout;
  }

  /** A rendered query and where to run it. */
  record Resolved(String promql, MetricsProvider provider) {}

  /** Why a template cannot be used. */
  static final class TemplateException extends Exception {
    TemplateException(String message) {
      super(message);
    }
  }

  Resolved resolve(String rolloutNamespace, MetricCheck check, MetricTarget target, Duration window,
      String defaultServer) throws TemplateException {
    String ns = check.templateRef.namespaceOr(rolloutNamespace);
    String ref = "MetricTemplate " + ns + "/" + check.templateRef.name;
    MetricTemplate template;
    try {
      template = client.resources(MetricTemplate.class).inNamespace(ns).withName(check.templateRef.name).get();
    } catch (KubernetesClientException e) {
      throw new TemplateException("cannot read " + ref + " (HTTP " + e.getCode() + "): " + e.getMessage());
    }
    if (template == null) {
      throw new TemplateException(ref + " not found: create it, or fix templateRef"
          + (check.templateRef.namespace == null ? " (a template in another namespace needs templateRef.namespace)" : ""));
    }
    if (template.getSpec() == null || template.getSpec().provider == null || template.getSpec().query == null) {
      throw new TemplateException(ref + " has no spec.provider or spec.query");
    }
    String promql;
    try {
      promql = QueryTemplate.render(template.getSpec().query, target, window,
          check.templateVariables == null ? Map.of() : check.templateVariables);
    } catch (IllegalArgumentException e) {
      throw new TemplateException(ref + ": " + e.getMessage());
    }
    MetricProvider provider = template.getSpec().provider;
    String address = provider.address != null ? provider.address : defaultServer;
    String authorization = provider.secretRef == null ? null : authorization(ns, provider.secretRef.name, ref);
    HttpClient client = provider.insecureSkipVerifyOrFalse() ? insecure() : http;
    return new Resolved(promql, new PrometheusProvider(address, client, timeout, authorization));
  }

  /** {@code token} gives a bearer token, {@code username} and {@code password} basic auth. */
  private String authorization(String ns, String name, String ref) throws TemplateException {
    Secret secret;
    try {
      secret = client.secrets().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new TemplateException("cannot read the Secret " + ns + "/" + name + " of " + ref + " (HTTP " + e.getCode()
          + "): " + e.getMessage());
    }
    if (secret == null) {
      throw new TemplateException("the Secret " + ns + "/" + name + " named by " + ref + " spec.provider.secretRef is "
          + "missing: create it with a key token (bearer), or username and password (basic auth)");
    }
    Map<String, String> data = decoded(secret);
    if (data.get(MetricProvider.TOKEN) != null) {
      return "Bearer " + data.get(MetricProvider.TOKEN).strip();
    }
    if (data.get(MetricProvider.USERNAME) != null && data.get(MetricProvider.PASSWORD) != null) {
      String pair = data.get(MetricProvider.USERNAME).strip() + ":" + data.get(MetricProvider.PASSWORD).strip();
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    throw new TemplateException("the Secret " + ns + "/" + name + " named by " + ref + " has neither a key token nor "
        + "the keys username and password (it has " + new java.util.TreeSet<>(data.keySet()) + ")");
  }

  private static Map<String, String> decoded(Secret secret) {
    Map<String, String> out = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      out.putAll(secret.getStringData());
    }
    return out;
  }

  /** For {@code insecureSkipVerify}: trusts any certificate and any host name (built once, on first use). */
  private synchronized HttpClient insecure() {
    if (insecure == null) {
      insecure = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(TrustAll.context()).build();
    }
    return insecure;
  }
}
