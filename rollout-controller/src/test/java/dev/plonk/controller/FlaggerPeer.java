package dev.plonk.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Flagger in {@link ControllerBench}'s place (bench/peers at scale): the same targets, a Flagger {@code Canary} per
 * target in place of a Rollout, with the Rollouts' analysis (interval, threshold, stepWeight, maxWeight, success rate
 * over 10 s read from the same per-backend series through a {@code MetricTemplate}), and the SMI provider.
 */
final class FlaggerPeer {
  private static final String API = "flagger.app/v1beta1";
  private final KubernetesClient client;
  private final String namespace;

  FlaggerPeer(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Applies Flagger's CRDs (from its Go module) and the metric template; returns once the Canary CRD is served. */
  void install(Path crds, String prometheus) throws Exception {
    try (InputStream in = Files.newInputStream(crds)) {
      client.load(in).serverSideApply();
    }
    for (String crd : List.of("canaries.flagger.app", "metrictemplates.flagger.app")) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd)
          .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
              .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
    }
    String series = "plonk_gateway_backend_requests_total{namespace=\"{{ namespace }}\",function=\"{{ target }}\","
        + "backend=\"{{ target }}-canary\"";
    GenericKubernetesResource template = resource("MetricTemplate", "gateway-success-rate", Map.of(
        "provider", Map.of("type", "prometheus", "address", prometheus),
        "query", "sum(rate(" + series + ",code!~\"5..\"}[{{ interval }}])) / sum(rate(" + series
            + "}[{{ interval }}])) * 100"));
    for (int attempt = 1; ; attempt++) { // an established CRD can take a moment to be discovered by the client
      try {
        client.resource(template).serverSideApply();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (attempt == 50) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** Flagger's command line: SMI TrafficSplits, this namespace only, selecting pods by the function label. */
  static List<String> command(Path binary, Path kubeconfig, String prometheus, String namespace, int port) {
    return List.of(binary.toString(), "-kubeconfig", kubeconfig.toString(), "-mesh-provider", "smi:v1alpha2",
        "-metrics-server", prometheus, "-namespace", namespace, "-port", Integer.toString(port), "-log-level", "info",
        "-selector-labels", "faas_function");
  }

  /** The Canary of target {@code name}, with the analysis of {@link ControllerBench}'s Rollouts. */
  GenericKubernetesResource canary(String name, String interval, int threshold, int stepWeight, int maxWeight) {
    return resource("Canary", name, Map.of(
        "targetRef", Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", name),
        "service", Map.of("port", 8080),
        "analysis", Map.of("interval", interval, "threshold", threshold, "stepWeight", stepWeight,
            "maxWeight", maxWeight, "metrics", List.of(Map.of("name", "gateway-success-rate",
                "templateRef", Map.of("name", "gateway-success-rate"), "interval", "10s",
                "thresholdRange", Map.of("min", 99))))));
  }

  /** The phase of every Canary of the namespace (null for one Flagger has not reported on yet). */
  List<String> phases() {
    return client.genericKubernetesResources(API, "Canary").inNamespace(namespace).list().getItems().stream()
        .map(c -> c.get("status") instanceof Map<?, ?> s && s.get("phase") != null ? s.get("phase").toString() : null)
        .toList();
  }

  private GenericKubernetesResource resource(String kind, String name, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(API);
    r.setKind(kind);
    r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    r.setAdditionalProperty("spec", spec);
    return r;
  }
}
