package dev.plonk.cli;

import dev.plonk.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The actions: {@code promote}, {@code abort} and {@code retry} set the {@code plonk.dev/action} annotation (the
 * controller acts on it and removes it); {@code pause} and {@code resume} set {@code spec.paused}.
 */
abstract class ActionCommand implements Callable<Integer> {
  @Mixin
  Target target;

  @Parameters(index = "0", paramLabel = "NAME", description = "The Rollout.")
  String name;

  /** The JSON merge patch for this action. */
  abstract String patch();

  abstract String done();

  @Override
  public Integer call() {
    try (KubernetesClient client = target.client()) {
      target.rollout(client, name).patch(PatchContext.of(PatchType.JSON_MERGE), patch());
      System.out.println("rollout " + target.namespace(client) + "/" + name + " " + done());
      return 0;
    }
  }

  static String annotation(String action) {
    return "{\"metadata\":{\"annotations\":{\"" + Rollout.ACTION_ANNOTATION + "\":\"" + action + "\"}}}";
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Skip the remaining analysis and promote the canary.")
  static final class Promote extends ActionCommand {
    String patch() {
      return annotation("promote");
    }

    String done() {
      return "promote requested: the controller skips the remaining steps and promotes the canary";
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true, description = "Roll the canary back now.")
  static final class Abort extends ActionCommand {
    String patch() {
      return annotation("abort");
    }

    String done() {
      return "abort requested: the controller routes all traffic to the primary and marks the rollout Failed";
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true, description = "Analyse a Failed revision again.")
  static final class Retry extends ActionCommand {
    String patch() {
      return annotation("retry");
    }

    String done() {
      return "retry requested: the controller analyses the failed revision again";
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Hold the rollout at its current weight (spec.paused: true).")
  static final class Pause extends ActionCommand {
    String patch() {
      return "{\"spec\":{\"paused\":true}}";
    }

    String done() {
      return "paused: it holds its current weights until kubectl plonk resume";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused rollout (spec.paused: false).")
  static final class Resume extends ActionCommand {
    String patch() {
      return "{\"spec\":{\"paused\":false}}";
    }

    String done() {
      return "resumed";
    }
  }
}
