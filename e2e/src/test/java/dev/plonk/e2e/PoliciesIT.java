package dev.plonk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Kubernetes;
import dev.plonk.devstack.ProjectLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Linkerd policies, NetworkPolicy and RBAC in policies/ are accepted by the real apiserver with the upstream
 * Linkerd CRDs installed, and the RBAC grants exactly what each component needs (checked by the real authorizer).
 */
@DevStackTest(upstreamCrds = true)
class PoliciesIT {
  private static Kubectl kubectl;

  @BeforeAll
  static void applyPolicies(Kubernetes kubernetes) {
    kubectl = new Kubectl(kubernetes);
    String out = kubectl.run("apply", "--server-side", "-k", ProjectLayout.root().resolve("policies").toString()).ok().output();
    assertThat(out).contains("server.policy.linkerd.io/functions-http serverside-applied")
        .contains("authorizationpolicy.policy.linkerd.io/functions-from-gateway serverside-applied")
        .contains("meshtlsauthentication.policy.linkerd.io/plonk-gateway serverside-applied")
        .contains("networkpolicy.networking.k8s.io/functions-from-plonk-gateway serverside-applied");
  }

  @Test
  void linkerdObjectsAreStoredAsWritten() {
    assertThat(kubectl.run("get", "servers.policy.linkerd.io", "-n", "openfaas-fn", "functions-http",
        "-o", "jsonpath={.spec.proxyProtocol} {.spec.port} {.spec.accessPolicy}").ok().output())
        .isEqualTo("HTTP/1 8080 deny");
    assertThat(kubectl.run("get", "meshtlsauthentications.policy.linkerd.io", "-n", "openfaas-fn", "plonk-gateway",
        "-o", "jsonpath={.spec.identityRefs[0].name}.{.spec.identityRefs[0].namespace}").ok().output())
        .isEqualTo("plonk-gateway.plonk-system");
  }

  @ParameterizedTest(name = "{0} {1} {2} in {3}: {4}")
  @CsvSource({
      "plonk-rollout-controller, patch, rollouts.plonk.dev/status, openfaas-fn, yes",
      "plonk-rollout-controller, watch, rollouts.plonk.dev, openfaas-fn, yes",
      "plonk-rollout-controller, get, metrictemplates.plonk.dev, openfaas-fn, yes",
      "plonk-rollout-controller, update, metrictemplates.plonk.dev, openfaas-fn, no",
      "plonk-rollout-controller, list, metrictemplates.plonk.dev, team-a, no",
      "plonk-rollout-controller, create, trafficsplits.split.smi-spec.io, openfaas-fn, yes",
      "plonk-rollout-controller, update, httproutes.gateway.networking.k8s.io, openfaas-fn, yes",
      "plonk-rollout-controller, create, deployments.apps, openfaas-fn, yes",
      "plonk-rollout-controller, update, leases.coordination.k8s.io, plonk-system, yes",
      "plonk-rollout-controller, update, leases.coordination.k8s.io, team-a, no",
      "plonk-rollout-controller, create, deployments.apps, team-a, no",
      "plonk-rollout-controller, list, rollouts.plonk.dev, team-a, no",
      "plonk-rollout-controller, watch, alertproviders.plonk.dev, openfaas-fn, yes",
      "plonk-rollout-controller, update, alertproviders.plonk.dev, openfaas-fn, no",
      "plonk-rollout-controller, delete, services, team-a, no",
      "plonk-rollout-controller, create, trafficsplits.split.smi-spec.io, team-a, no",
      "plonk-rollout-controller, get, secrets, openfaas-fn, yes",   // config tracking: Secrets are part of a revision
      "plonk-rollout-controller, watch, secrets, openfaas-fn, yes",   // an edit wakes the Rollouts that reference it
      "plonk-rollout-controller, watch, configmaps, openfaas-fn, yes",
      "plonk-rollout-controller, watch, secrets, plonk-system, no",
      "plonk-rollout-controller, get, horizontalpodautoscalers.autoscaling, openfaas-fn, yes",
      "plonk-rollout-controller, delete, secrets, openfaas-fn, yes",   // the primary's copies no revision uses any more
      "plonk-rollout-controller, create, controllerrevisions.apps, openfaas-fn, yes",   // the template before a promotion
      "plonk-rollout-controller, create, controllerrevisions.apps, team-a, no",
      "plonk-rollout-controller, get, secrets, plonk-system, no",
      "plonk-rollout-controller, create, pods, openfaas-fn, no",
      "plonk-rollout-controller, update, namespaces, , no",
      "plonk-gateway, watch, endpointslices.discovery.k8s.io, team-a, yes",
      "plonk-gateway, list, trafficsplits.split.smi-spec.io, team-a, yes",
      "plonk-gateway, create, deployments.apps, openfaas-fn, yes",
      "plonk-gateway, create, deployments.apps, team-a, no",
      "plonk-gateway, update, trafficsplits.split.smi-spec.io, team-a, no",
      "plonk-gateway, create, secrets, openfaas-fn, yes",
      "plonk-gateway, get, pods/log, openfaas-fn, yes",
      "plonk-gateway, get, secrets, plonk-system, no",
      "plonk-gateway, list, secrets, team-a, no",
      "plonk-gateway, get, pods/log, team-a, no",
      "plonk-queue-worker, list, services, openfaas-fn, no",
  })
  void rbacGrantsWhatEachComponentNeedsAndNoMore(String account, String verb, String resource, String namespace,
      String expected) {
    Kubectl.Result result = namespace == null
        ? kubectl.run("auth", "can-i", verb, resource, "--as", "system:serviceaccount:plonk-system:" + account)
        : kubectl.run("auth", "can-i", verb, resource, "-n", namespace, "--as", "system:serviceaccount:plonk-system:" + account);
    String answer = result.output().lines().reduce((first, last) -> last).orElse("");   // after any kubectl warning
    assertThat(answer).as(result.toString()).isEqualTo(expected);
  }
}
