package dev.plonk.controller.alerts;

import dev.plonk.api.v1alpha1.Alert;
import dev.plonk.api.v1alpha1.AlertProvider;
import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.api.v1alpha1.RolloutStatus;
import dev.plonk.api.v1alpha1.SecretRef;
import dev.plonk.controller.analysis.Statuses;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the AlertProvider an alert names, and its webhook address (inline, or the key {@code address} of its Secret).
 * Lookups are remembered for {@link #TTL}, so a rollout reconciled every second does not read them every second.
 */
public final class AlertProviders {
  static final Duration TTL = Duration.ofSeconds(5);
  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public AlertProviders(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** A provider ready to post to: its spec and the resolved address. */
  public record Resolved(AlertProvider provider, String address) {}

  /** Why an alert cannot be delivered, in words that say what to fix; empty when it can. */
  public List<String> problems(Rollout rollout) {
    List<String> out = new ArrayList<>();
    for (Alert alert : rollout.getSpec().analysis.alerts) {
      String problem = resolve(rollout, alert).problem();
      if (problem != null) {
        out.add(problem);
      }
    }
    return out;
  }

  /** With alerts: condition Alerts says whether every AlertProvider they name can be posted to, and what to fix. */
  public void condition(Rollout rollout, RolloutStatus next, Instant now) {
    if (rollout.getSpec().analysis.alerts.isEmpty()) {
      return;
    }
    List<String> problems = problems(rollout);
    Statuses.condition(next, RolloutStatus.ALERTS, problems.isEmpty(),
        problems.isEmpty() ? "ProvidersFound" : "AlertProviderNotFound",
        problems.isEmpty() ? "every alert's AlertProvider is found" : String.join("; ", problems),
        rollout.getMetadata().getGeneration(), now);
  }

  public Optional<Resolved> find(Rollout rollout, Alert alert) {
    return Optional.ofNullable(resolve(rollout, alert).resolved());
  }

  private Cached resolve(Rollout rollout, Alert alert) {
    String ns = alert.providerRef.namespace == null ? rollout.getMetadata().getNamespace() : alert.providerRef.namespace;
    String key = ns + "/" + alert.providerRef.name;
    Instant now = clock.instant();
    Cached c = cache.get(key);
    if (c == null || c.at.plus(TTL).isBefore(now)) {
      c = lookup(alert, ns, now);
      cache.put(key, c);
    }
    return c;
  }

  private Cached lookup(Alert alert, String ns, Instant now) {
    String where = "alert '" + alert.name + "': AlertProvider " + ns + "/" + alert.providerRef.name;
    try {
      AlertProvider p = client.resources(AlertProvider.class).inNamespace(ns).withName(alert.providerRef.name).get();
      if (p == null) {
        return new Cached(null, where + " not found: create it or fix spec.analysis.alerts[].providerRef", now);
      }
      if (p.getSpec().address != null) {
        return new Cached(new Resolved(p, p.getSpec().address), null, now);
      }
      SecretRef ref = p.getSpec().secretRef;
      Secret secret = client.secrets().inNamespace(ns).withName(ref.name).get();
      String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(SecretRef.ADDRESS_KEY);
      if (encoded == null) {
        return new Cached(null, where + ": Secret " + ns + "/" + ref.name + (secret == null ? " not found"
            : " has no key '" + SecretRef.ADDRESS_KEY + "'") + ": it must hold the webhook URL under '"
            + SecretRef.ADDRESS_KEY + "'", now);
      }
      String address = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
      return new Cached(new Resolved(p, address), null, now);
    } catch (KubernetesClientException e) {
      return new Cached(null, where + " could not be read: " + e.getMessage(), now);
    }
  }

  private record Cached(Resolved resolved, String problem, Instant at) {}
}
