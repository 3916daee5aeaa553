package dev.plonk.devstack;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * CoreDNS as a process inside the node's network namespace, listening on the node IP (the kubelet's
 * {@code clusterDNS}). It serves {@code cluster.local} and the reverse zones from the apiserver, as user
 * {@code system:coredns} with a read-only ClusterRole, and has no upstream forwarder: every other name is refused.
 */
public final class CoreDns {
  static final String USER = "system:coredns";

  private final Path dir;
  private final NodeBinaries binaries;
  private final NodeNetwork network;
  private final Kubernetes kubernetes;
  private ManagedProcess process;

  public CoreDns(Path dir, NodeBinaries binaries, NodeNetwork network, Kubernetes kubernetes) {
    this.dir = Kubernetes.mkdirs(dir);
    this.binaries = binaries;
    this.network = network;
    this.kubernetes = kubernetes;
  }

  public CoreDns start() {
    grantReadAccess();
    String ip = network.addresses().nodeIp();
    Path corefile = dir.resolve("Corefile");
    Containerd.write(corefile, """
        cluster.local in-addr.arpa ip6.arpa {
            bind %1$s
            errors
            health %1$s:8080
            ready %1$s:8181
            kubernetes cluster.local in-addr.arpa ip6.arpa {
                kubeconfig %2$s plonk-devstack
                pods insecure
            }
            cache 5
            loadbalance
        }
        """.formatted(ip, kubernetes.kubeconfigFor(USER)));
    process = new ManagedProcess("coredns", network.prefix(List.of(binaries.coredns().toString(),
        "-conf", corefile.toString(), "-dns.port", "53")), dir.resolve("coredns.log")).start();
    Net.await("CoreDNS ready on " + ip + ":8181", Duration.ofSeconds(60),
        () -> Net.isOk("http://" + ip + ":8181/ready"), process);
    return this;
  }

  private void grantReadAccess() {
    var client = kubernetes.adminClient();
    client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("plonk:coredns")
        .endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("services", "endpoints", "pods", "namespaces")
                .withVerbs("list", "watch").build(),
            new PolicyRuleBuilder().withApiGroups("discovery.k8s.io").withResources("endpointslices")
                .withVerbs("list", "watch").build())
        .build()).serverSideApply();
    client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName("plonk:coredns").endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "plonk:coredns")
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(USER).endSubject()
        .build()).serverSideApply();
  }

  public ManagedProcess process() {
    return process;
  }

  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(5));
    }
  }
}
