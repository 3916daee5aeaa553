package dev.plonk.mesh.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.ProjectLayout;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.linkerd.policy.v1alpha1.AuthorizationPolicy;
import io.linkerd.policy.v1alpha1.MeshTLSAuthentication;
import io.linkerd.policy.v1alpha1.NetworkAuthentication;
import io.linkerd.policy.v1beta3.Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The Linkerd policies Plonk ships ({@code policies/linkerd}) read through the models generated from Linkerd's CRDs. */
class PolicyModelsTest {
  private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.of(
      "Server", Server.class, "AuthorizationPolicy", AuthorizationPolicy.class,
      "MeshTLSAuthentication", MeshTLSAuthentication.class, "NetworkAuthentication", NetworkAuthentication.class);

  @Test
  void functionsAcceptOnlyTheGatewaysMeshIdentity() throws IOException {
    List<HasMetadata> policies = read("functions.yaml");
    Server server = find(policies, Server.class, "functions-http");
    assertThat(server.getSpec().getPort()).isEqualTo(new IntOrString(8080));
    assertThat(server.getSpec().getAccessPolicy()).isEqualTo("deny");
    MeshTLSAuthentication gateway = find(policies, MeshTLSAuthentication.class, "plonk-gateway");
    assertThat(gateway.getSpec().getIdentityRefs()).singleElement().satisfies(ref -> {
      assertThat(ref.getKind()).isEqualTo("ServiceAccount");
      assertThat(ref.getName()).isEqualTo("plonk-gateway");
      assertThat(ref.getNamespace()).isEqualTo("plonk-system");
    });
    AuthorizationPolicy policy = find(policies, AuthorizationPolicy.class, "functions-from-gateway");
    assertThat(policy.getSpec().getTargetRef().getName()).isEqualTo("functions-http");
    assertThat(policy.getSpec().getRequiredAuthenticationRefs()).singleElement()
        .satisfies(ref -> assertThat(ref.getName()).isEqualTo("plonk-gateway"));
  }

  @Test
  void everyShippedPolicyIsAGeneratedModelAndUsesOnlyFieldsItsSchemaKnows() throws IOException {
    try (var files = Files.list(ProjectLayout.root().resolve("policies/linkerd"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString()
          .startsWith("kustomization")).sorted().toList()) {
        for (String doc : documents(file)) {
          GenericKubernetesResource raw = Serialization.unmarshal(doc, GenericKubernetesResource.class);
          Class<? extends HasMetadata> model = MODELS.get(raw.getKind());
          assertThat(model).as("a generated model for %s in %s", raw.getKind(), file).isNotNull();
          assertThat(raw.getApiVersion()).as("%s %s", raw.getKind(), raw.getMetadata().getName())
              .isEqualTo(HasMetadata.getApiVersion(model));
          Map<String, Object> typed = Serialization.unmarshal(Serialization.asYaml(Serialization.unmarshal(doc, model)),
              GenericKubernetesResource.class).getAdditionalProperties();
          assertContained(raw.getAdditionalProperties(), typed, raw.getKind() + " " + raw.getMetadata().getName());
        }
      }
    }
  }

  /** Every field of {@code expected} survives the typed model with its value (the model may add defaults). */
  private static void assertContained(Object expected, Object actual, String path) {
    if (expected instanceof Map<?, ?> map) {
      assertThat(actual).as(path).isInstanceOf(Map.class);
      map.forEach((k, v) -> assertContained(v, ((Map<?, ?>) actual).get(k), path + "." + k));
    } else if (expected instanceof List<?> list) {
      assertThat(actual).as(path).isInstanceOf(List.class).asList().hasSameSizeAs(list);
      for (int i = 0; i < list.size(); i++) {
        assertContained(list.get(i), ((List<?>) actual).get(i), path + "[" + i + "]");
      }
    } else {
      assertThat(Objects.toString(actual)).as(path).isEqualTo(Objects.toString(expected));
    }
  }

  private static List<HasMetadata> read(String file) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : documents(ProjectLayout.root().resolve("policies/linkerd").resolve(file))) {
      out.add(Serialization.unmarshal(doc, MODELS.get(
          Serialization.unmarshal(doc, GenericKubernetesResource.class).getKind())));
    }
    return out;
  }

  private static List<String> documents(Path file) throws IOException {
    return java.util.Arrays.stream(Files.readString(file).split("(?m)^---\\s*$")).filter(d -> d.contains("kind:"))
        .toList();
  }

  private static <T extends HasMetadata> T find(List<HasMetadata> items, Class<T> type, String name) {
    return items.stream().filter(type::isInstance).map(type::cast).filter(i -> name.equals(i.getMetadata().getName()))
        .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }
}
