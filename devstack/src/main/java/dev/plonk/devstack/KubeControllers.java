package dev.plonk.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * kube-controller-manager and kube-scheduler on the host's loopback, each under its own client certificate
 * ({@code system:kube-controller-manager}, {@code system:kube-scheduler}), so the bootstrap RBAC roles apply to them.
 * The controller-manager runs every default controller (ReplicaSets, garbage collection, EndpointSlices, namespaces,
 * node lifecycle, service-account tokens), each under its own service account.
 */
public final class KubeControllers {
  private final Path dir;
  private final NodeBinaries binaries;
  private final Kubernetes kubernetes;
  private ManagedProcess controllerManager;
  private ManagedProcess scheduler;

  public KubeControllers(Path dir, NodeBinaries binaries, Kubernetes kubernetes) {
    this.dir = Kubernetes.mkdirs(dir);
    this.binaries = binaries;
    this.kubernetes = kubernetes;
  }

  public KubeControllers start() {
    String kcm = kubernetes.kubeconfigFor("system:kube-controller-manager").toString();
    controllerManager = new ManagedProcess("kube-controller-manager", List.of(
        binaries.kubeControllerManager().toString(),
        "--kubeconfig", kcm, "--authentication-kubeconfig", kcm, "--authorization-kubeconfig", kcm,
        "--bind-address", "127.0.0.1", "--secure-port", Integer.toString(Net.freePort()),
        "--cert-dir", Kubernetes.mkdirs(dir.resolve("kcm-certs")).toString(),
        "--leader-elect=false", "--use-service-account-credentials=true",
        "--service-account-private-key-file", kubernetes.serviceAccountKey().toString(),
        "--root-ca-file", kubernetes.caCert().toString(),
        "--cluster-name", "plonk-devstack",
        "--node-monitor-grace-period", "20s", "-v", "1"),
        dir.resolve("kube-controller-manager.log")).start();
    String sched = kubernetes.kubeconfigFor("system:kube-scheduler").toString();
    scheduler = new ManagedProcess("kube-scheduler", List.of(binaries.kubeScheduler().toString(),
        "--kubeconfig", sched, "--authentication-kubeconfig", sched, "--authorization-kubeconfig", sched,
        "--bind-address", "127.0.0.1", "--secure-port", Integer.toString(Net.freePort()),
        "--cert-dir", Kubernetes.mkdirs(dir.resolve("scheduler-certs")).toString(),
        "--leader-elect=false", "-v", "1"),
        dir.resolve("kube-scheduler.log")).start();
    // the service-account controller makes "default" in every namespace: the controller-manager is at work
    Net.await("kube-controller-manager (the default ServiceAccount in namespace default)", Duration.ofSeconds(60),
        () -> kubernetes.adminClient().serviceAccounts().inNamespace("default").withName("default").get() != null,
        controllerManager);
    return this;
  }

  public List<ManagedProcess> processes() {
    return List.of(controllerManager, scheduler);
  }

  public void stop() {
    for (ManagedProcess process : new ManagedProcess[] {scheduler, controllerManager}) {
      if (process != null) {
        process.stop(Duration.ofSeconds(10));
      }
    }
  }
}
