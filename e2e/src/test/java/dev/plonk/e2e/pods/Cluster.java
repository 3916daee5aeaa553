package dev.plonk.e2e.pods;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Kubernetes cluster with a node that runs pods, as the pod e2e suite needs it: the devstack's node here
 * ({@link NodeCluster}), a k3s container where Docker exists ({@link K3sCluster}, {@code -Pk3s}).
 */
public interface Cluster extends AutoCloseable {
  /** Admin client. */
  KubernetesClient client();

  /** Runs the real kubectl against the cluster, as an admin; fails the test if kubectl fails. */
  String kubectl(String... args);

  /** Loads a {@code docker save}-format image tarball into the node's containerd (nothing is pulled). */
  void importImage(Path tar);

  /** Maps a NodePort of the node to the host:port this JVM dials. */
  String nodePortAddress(int nodePort);

  /** The host:port at which pods reach a port this JVM listens on (on all interfaces), for callback receivers. */
  String hostAddressForPods(int port);

  /** Stops one container of a pod through the node's CRI (as a crash would); the kubelet restarts it in the same pod. */
  void restartContainer(String namespace, String pod, String container);

  /** The upstream CRDs that the Rollouts' routers need (SMI TrafficSplit, Gateway API HTTPRoute). */
  List<Path> routerCrds();

  @Override
  void close();
}
