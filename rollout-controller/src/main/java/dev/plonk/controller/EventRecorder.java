package dev.plonk.controller;

import dev.plonk.api.v1alpha1.Rollout;
import dev.plonk.controller.analysis.DecisionEvent;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes core/v1 Events about a Rollout and tells its listeners; a failure to record is logged, never fatal. */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private final KubernetesClient client;
  private final java.util.List<EventListener> listeners;

  public EventRecorder(KubernetesClient client, java.util.List<EventListener> listeners) {
    this.client = client;
    this.listeners = java.util.List.copyOf(listeners);
  }

  public void record(Rollout rollout, DecisionEvent event) {
    String ns = rollout.getMetadata().getNamespace();
    String now = Instant.now().toString();
    String message = event.message().length() > 1000 ? event.message().substring(0, 1000) + "..." : event.message();
    LOG.info("{}/{} {} {}: {}", ns, rollout.getMetadata().getName(), event.warning() ? "Warning" : "Normal",
        event.reason(), message);
    try {
      client.v1().events().inNamespace(ns).resource(new EventBuilder()
          .withNewMetadata().withNamespace(ns).withName(rollout.getMetadata().getName() + "."
              + Long.toHexString(System.currentTimeMillis()) + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000)))
          .endMetadata()
          .withNewInvolvedObject().withApiVersion(rollout.getApiVersion()).withKind(rollout.getKind())
          .withName(rollout.getMetadata().getName()).withNamespace(ns).withUid(rollout.getMetadata().getUid()).endInvolvedObject()
          .withType(event.warning() ? "Warning" : "Normal").withReason(event.reason()).withMessage(message)
          .withNewSource().withComponent(ControllerSettings.FIELD_MANAGER).endSource()
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .build()).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} for {}/{}: {}", event.reason(), ns, rollout.getMetadata().getName(), e.getMessage());
    }
    for (EventListener listener : listeners) {
      try {
        listener.recorded(rollout, new DecisionEvent(event.warning(), event.reason(), message));
      } catch (RuntimeException e) {
        LOG.warn("event {} of {}/{} not passed on: {}", event.reason(), ns, rollout.getMetadata().getName(), e.toString());
      }
    }
  }
}
