package dev.plonk.gateway.provider.kubernetes;

import dev.plonk.gateway.provider.LogSource;
import dev.plonk.mesh.BackendNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.Loggable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function's logs from the apiserver ({@code pods/log}, with timestamps): every pod labelled
 * {@code faas_function=<name>} or {@code <name>-primary} (so a function under a Rollout shows its primary and canary
 * pods), the function's container (not a mesh sidecar). Followed logs read each pod on its own thread until the
 * client leaves.
 */
final class KubernetesLogSource implements LogSource {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesLogSource.class);
  private static final long FOLLOW_CHECK_MILLIS = 500;

  private final KubernetesClient client;

  KubernetesLogSource(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void read(LogRequest request, Consumer<LogMessage> sink, BooleanSupplier stillWanted) {
    List<Pod> pods = client.pods().inNamespace(request.namespace())
        .withLabelIn("faas_function", request.name(), BackendNames.primary(request.name())).list().getItems().stream()
        .filter(p -> request.instance() == null || request.instance().equals(p.getMetadata().getName())).toList();
    Consumer<LogMessage> ordered = message -> {
      synchronized (sink) {
        sink.accept(message);
      }
    };
    if (!request.follow()) {
      for (Pod pod : pods) {
        String text = loggable(request, pod).getLog();
        text.lines().forEach(line -> ordered.accept(LogLines.parse(request, pod.getMetadata().getName(), line)));
      }
      return;
    }
    follow(request, pods, ordered, stillWanted);
  }

  private void follow(LogRequest request, List<Pod> pods, Consumer<LogMessage> sink, BooleanSupplier stillWanted) {
    List<LogWatch> watches = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    try {
      for (Pod pod : pods) {
        LogWatch watch = loggable(request, pod).watchLog();
        watches.add(watch);
        Thread reader = new Thread(() -> pump(request, pod.getMetadata().getName(), watch, sink, stillWanted),
            "plonk-gateway-logs-" + pod.getMetadata().getName());
        reader.setDaemon(true);
        reader.start();
        readers.add(reader);
      }
      while (stillWanted.getAsBoolean() && readers.stream().anyMatch(Thread::isAlive)) {
        Thread.sleep(FOLLOW_CHECK_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      watches.forEach(LogWatch::close);
    }
  }

  private static void pump(LogRequest request, String pod, LogWatch watch, Consumer<LogMessage> sink,
      BooleanSupplier stillWanted) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
      String line;
      while (stillWanted.getAsBoolean() && (line = in.readLine()) != null) {
        sink.accept(LogLines.parse(request, pod, line));
      }
    } catch (IOException e) {
      LOG.debug("log stream of {} ended: {}", pod, e.toString());
    }
  }

  private Loggable loggable(LogRequest request, Pod pod) {
    PodResource resource = client.pods().inNamespace(request.namespace()).withName(pod.getMetadata().getName());
    var loggable = resource.inContainer(container(request.name(), pod)).usingTimestamps();
    TailPrettyLoggable timed = request.since() == null ? loggable : loggable.sinceTime(request.since().toString());
    return request.tail() >= 0 ? timed.tailingLines(request.tail()) : timed;
  }

  /** The function's container: the one named like the function, else the first that is not a Linkerd sidecar. */
  static String container(String function, Pod pod) {
    List<Container> containers = pod.getSpec().getContainers();
    return containers.stream().map(Container::getName).filter(function::equals).findFirst()
        .orElseGet(() -> containers.stream().map(Container::getName).filter(n -> !n.startsWith("linkerd-"))
            .findFirst().orElse(containers.get(0).getName()));
  }
}
