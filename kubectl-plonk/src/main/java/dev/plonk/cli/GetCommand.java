package dev.plonk.cli;

import dev.plonk.api.v1alpha1.Durations;
import dev.plonk.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl plonk get rollout NAME [-w]}: phase, traffic, each check with its value and threshold, conditions and
 * the latest decisions (Events); with {@code -w} it redraws on every change of the Rollout or its Events.
 */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show a Rollout: kubectl plonk get rollout NAME [-w].")
final class GetCommand implements Callable<Integer> {
  private static final Set<String> KINDS = Set.of("rollout", "rollouts", "ro");

  @Mixin
  Target target;

  @Parameters(arity = "1..2", paramLabel = "[rollout] NAME", description = "The Rollout (the word rollout is optional).")
  List<String> words;

  @Option(names = {"-w", "--watch"}, description = "Keep watching and redraw on every change.")
  boolean watch;

  @Option(names = "--timeout", description = "With -w: stop after this long, Go-style (30s, 5m); default: until interrupted.")
  String timeout;

  @Override
  public Integer call() throws InterruptedException {
    if (words.size() == 2 && !KINDS.contains(words.get(0))) {
      throw new CliException("unknown resource " + words.get(0) + ": kubectl plonk get rollout NAME");
    }
    String name = words.get(words.size() - 1);
    try (KubernetesClient client = target.client()) {
      Resource<Rollout> rollout = target.rollout(client, name);
      var events = client.v1().events().inNamespace(target.namespace(client))
          .withField("involvedObject.name", name).withField("involvedObject.kind", "Rollout");
      if (!watch) {
        System.out.print(RolloutView.render(rollout.get(), events.list().getItems(), Instant.now()));
        return 0;
      }
      LinkedBlockingQueue<Boolean> changed = new LinkedBlockingQueue<>();
      Instant deadline = timeout == null ? Instant.MAX : Instant.now().plus(Durations.parse(timeout));
      try (Watch w1 = rollout.watch(signal(changed)); Watch w2 = events.watch(signal(changed))) {
        changed.add(true);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
          long wait = Math.min(Duration.between(Instant.now(), deadline).toMillis(), 1000);
          if (changed.poll(Math.max(wait, 1), TimeUnit.MILLISECONDS) == null) {
            continue;
          }
          changed.clear();
          Rollout current = rollout.get();
          if (current == null) {
            System.out.println("rollout " + name + " was deleted");
            return 0;
          }
          String frame = RolloutView.render(current, events.list().getItems(), Instant.now());
          if (!frame.equals(last)) {
            System.out.print((System.console() != null ? "\033[H\033[2J" : "\n--- " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " ---\n") + frame);
            System.out.flush();
            last = frame;
          }
        }
      }
      return 0;
    }
  }

  private static <T> Watcher<T> signal(LinkedBlockingQueue<Boolean> changed) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        changed.add(true);
      }

      @Override
      public void onClose(WatcherException cause) {
        System.err.println("watch closed: " + cause.getMessage() + " (run the command again)");
        changed.add(true);
      }
    };
  }
}
