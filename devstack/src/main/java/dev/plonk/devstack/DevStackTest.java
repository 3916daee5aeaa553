package dev.plonk.devstack;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an {@code *IT} class that runs against the real devstack. The components it asks for are started once
 * per test JVM and shared. Test and lifecycle methods may declare parameters of type {@link DevStack},
 * {@link io.fabric8.kubernetes.client.KubernetesClient} (admin), {@link Kubernetes}, {@link Prometheus},
 * {@link Nats}, {@link Node} and {@link TestNamespace} (a fresh namespace per test method).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DevStackExtension.class)
public @interface DevStackTest {
  boolean kubernetes() default true;

  boolean prometheus() default false;

  boolean nats() default false;

  /** Run Deployments as local processes (implies kubernetes): status and EndpointSlices are written for you. */
  boolean processRuntime() default false;

  /**
   * Run a real node (implies kubernetes): kubelet, containerd, controller-manager, scheduler, kube-proxy and CoreDNS,
   * built from source. Methods may then take a {@link Node} parameter. Needs root; the class fails, naming the
   * failed host check, where the host cannot run it. Must be the first Kubernetes user of its JVM (see
   * devstack/README.md).
   */
  boolean node() default false;

  /** Install the upstream CRDs ({@link UpstreamCrds}); the class fails with a message if a source is missing. */
  boolean upstreamCrds() default false;
}
