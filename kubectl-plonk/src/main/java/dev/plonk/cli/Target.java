package dev.plonk.cli;

import dev.plonk.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The cluster and namespace a subcommand works on: {@code --kubeconfig} (else $KUBECONFIG, ~/.kube/config) and {@code -n}. */
final class Target {
  @Option(names = "--kubeconfig", description = "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
  Path kubeconfig;

  @Option(names = {"-n", "--namespace"}, description = "Namespace (default: the current context's, else default).")
  String namespace;

  KubernetesClient client() {
    if (kubeconfig == null) {
      return new KubernetesClientBuilder().build();
    }
    try {
      return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    } catch (IOException e) {
      throw new CliException("cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage());
    }
  }

  String namespace(KubernetesClient client) {
    return namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
  }

  /** The named Rollout, which must exist. */
  Resource<Rollout> rollout(KubernetesClient client, String name) {
    String ns = namespace(client);
    Resource<Rollout> resource = client.resources(Rollout.class).inNamespace(ns).withName(name);
    if (resource.get() == null) {
      throw new CliException("rollout " + name + " not found in namespace " + ns
          + " (kubectl plonk list -A shows every rollout)");
    }
    return resource;
  }
}
