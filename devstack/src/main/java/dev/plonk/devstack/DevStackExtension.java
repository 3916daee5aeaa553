package dev.plonk.devstack;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** Starts the components a {@link DevStackTest} class asks for and hands them to its methods. */
public final class DevStackExtension implements BeforeAllCallback, ParameterResolver {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(DevStackExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    DevStackTest config = config(context);
    DevStack stack = DevStack.shared();
    if (config.node()) {
      stack.node();
    }
    if (config.kubernetes()) {
      stack.kubernetes();
    }
    if (config.processRuntime()) {
      stack.processRuntime();
    }
    if (config.prometheus()) {
      stack.prometheus();
    }
    if (config.nats()) {
      stack.nats();
    }
    if (config.upstreamCrds()) {
      stack.installUpstreamCrds(); // a missing source fails the class with a message, it never skips
    }
  }

  private static DevStackTest config(ExtensionContext context) {
    return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), DevStackTest.class)
        .orElseThrow(() -> new IllegalStateException("DevStackExtension needs @DevStackTest on the class"));
  }

  private static final Map<Class<?>, Boolean> TYPES = Map.of(
      DevStack.class, true, KubernetesClient.class, true, Kubernetes.class, true,
      Prometheus.class, true, Nats.class, true, TestNamespace.class, true, Node.class, true);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return TYPES.containsKey(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    DevStack stack = DevStack.shared();
    Class<?> type = parameter.getParameter().getType();
    if (type == DevStack.class) {
      return stack;
    } else if (type == KubernetesClient.class) {
      return stack.client();
    } else if (type == Kubernetes.class) {
      return stack.kubernetes();
    } else if (type == Prometheus.class) {
      return stack.prometheus();
    } else if (type == Node.class) {
      return stack.node();
    } else if (type == Nats.class) {
      return stack.nats();
    } else if (type == TestNamespace.class) {
      return context.getStore(STORE).getOrComputeIfAbsent("namespace", k -> createNamespace(stack, context),
          TestNamespace.class);
    }
    throw new ParameterResolutionException("unsupported parameter " + type);
  }

  private static TestNamespace createNamespace(DevStack stack, ExtensionContext context) {
    String base = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    String name = (base.length() > 40 ? base.substring(0, 40) : base) + "-" + NAMESPACES.incrementAndGet();
    stack.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels("app.kubernetes.io/managed-by", "plonk-devstack")
        .addToAnnotations("openfaas", "1") // a function namespace, as OpenFaaS opts namespaces in
        .endMetadata().build()).serverSideApply();
    // closed by JUnit with the test method's context: the namespace and everything in it go with the test
    context.getStore(STORE).put("namespace-cleanup", new NamespaceCleanup(stack.client(), name));
    if (stack.hasNode()) {
      // with a real controller-manager, pods are admitted only once the namespace's default ServiceAccount exists
      stack.client().serviceAccounts().inNamespace(name).withName("default")
          .waitUntilCondition(java.util.Objects::nonNull, 60, java.util.concurrent.TimeUnit.SECONDS);
    }
    return new TestNamespace(name);
  }
}
