package dev.plonk.gateway.provider.kubernetes;

import dev.plonk.gateway.provider.FunctionProvider.ConflictException;
import dev.plonk.gateway.provider.SecretStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Function secrets as Kubernetes Secrets, as faas-netes keeps them: labelled
 * {@code app.kubernetes.io/managed-by=openfaas} (so {@code faas-cli secret list} shows only those), one key named
 * like the secret (mounted as {@code /var/openfaas/secrets/<name>}). Values are written, never read back.
 */
final class KubernetesSecretStore implements SecretStore {
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String OPENFAAS = "openfaas";

  private final KubernetesClient client;

  KubernetesSecretStore(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public List<SecretName> list(String namespace) {
    return client.secrets().inNamespace(namespace).withLabel(MANAGED_BY, OPENFAAS).list().getItems().stream()
        .map(s -> new SecretName(s.getMetadata().getName(), namespace)).toList();
  }

  @Override
  public void create(String namespace, SecretValue secret) {
    if (find(namespace, secret.name()) != null) {
      throw new ConflictException("secret " + secret.name() + " already exists in " + namespace + "; update it with "
          + "PUT /system/secrets or delete it first");
    }
    client.secrets().inNamespace(namespace).resource(secret(namespace, secret)).create();
  }

  @Override
  public boolean update(String namespace, SecretValue secret) {
    if (find(namespace, secret.name()) == null) {
      return false;
    }
    client.secrets().inNamespace(namespace).resource(secret(namespace, secret)).update();
    return true;
  }

  @Override
  public boolean delete(String namespace, String name) {
    if (find(namespace, name) == null) {
      return false;
    }
    client.secrets().inNamespace(namespace).withName(name).delete();
    return true;
  }

  /** The secret if it is a function secret (labelled as faas-netes labels them); other Secrets are never touched. */
  private Secret find(String namespace, String name) {
    Secret s = client.secrets().inNamespace(namespace).withName(name).get();
    return s != null && s.getMetadata().getLabels() != null
        && OPENFAAS.equals(s.getMetadata().getLabels().get(MANAGED_BY)) ? s : null;
  }

  static Secret secret(String namespace, SecretValue secret) {
    return new SecretBuilder().withNewMetadata().withName(secret.name()).withNamespace(namespace)
        .addToLabels(MANAGED_BY, OPENFAAS).endMetadata().withType("Opaque")
        .withData(Map.of(secret.name(), Base64.getEncoder().encodeToString(secret.value()))).build();
  }
}
