package dev.plonk.e2e.pods;

import static dev.plonk.e2e.pods.PlonkInstall.FUNCTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.e2e.Rollouts;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /async-function} on pods: the gateway pods queue calls in the NATS pod, the queue-worker pods run them
 * through the gateway against the function's pods, and every callback reaches a receiver. */
@ExtendWith(OnPods.class)
class AsyncOnPodsIT {
  static final String FUNCTION = "echo-async";
  private static final int CALLS = 30;

  @Test
  void queuedCallsRunOnPodsAndCallBack(PlonkInstall plonk) throws Exception {
    deployFunction(plonk, FUNCTION);
    try (Callbacks callbacks = new Callbacks(plonk.cluster())) {
      callbacks.send(plonk.gatewayUrl(), FUNCTION + "." + FUNCTIONS, "async", CALLS);
      Rollouts.await(CALLS + " callbacks", Duration.ofMinutes(2), () -> callbacks.succeeded("async").size() == CALLS);
      assertThat(callbacks.succeeded("async"))
          .containsExactlyInAnyOrderElementsOf(IntStream.range(0, CALLS).mapToObj(i -> "async-" + i).toList());
    }
  }

  /**
   * An echo Deployment with its Service, Ready. The Service is labelled {@code faas_function}: the gateway routes only
   * to function Services.
   */
  static void deployFunction(PlonkInstall plonk, String name) {
    plonk.client().apps().deployments().inNamespace(FUNCTIONS).resource(Echo.deployment(FUNCTIONS, name, "v1", "0"))
        .forceConflicts().serverSideApply();
    plonk.client().services().inNamespace(FUNCTIONS).resource(new ServiceBuilder().withNewMetadata().withName(name)
        .withNamespace(FUNCTIONS).addToLabels("faas_function", name).endMetadata().withNewSpec().addToSelector("app", name)
        .addNewPort().withName("http").withPort(8080).withNewTargetPort(8080).endPort().endSpec().build())
        .forceConflicts().serverSideApply();
    Rollouts.await(name + " Ready", Duration.ofMinutes(2), () -> {
      var d = plonk.client().apps().deployments().inNamespace(FUNCTIONS).withName(name).get();
      return d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas());
    });
  }
}
