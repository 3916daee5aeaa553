package dev.plonk.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kubectl plonk}: the operator's view of Plonk's Rollouts. kubectl finds it on the PATH as {@code kubectl-plonk}
 * (the launcher script next to this module's jar); every subcommand talks to the apiserver of the current kubeconfig.
 */
@Command(name = "kubectl plonk", mixinStandardHelpOptions = true, version = "kubectl plonk 0.1.0",
    description = "Watch and steer Plonk Rollouts.",
    subcommands = {GetCommand.class, ListCommand.class, ActionCommand.Promote.class, ActionCommand.Abort.class,
        ActionCommand.Retry.class, ActionCommand.Pause.class, ActionCommand.Resume.class})
public final class KubectlPlonk implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: get, list, promote, abort, retry, pause, resume");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new KubectlPlonk()).setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + (e instanceof CliException || e instanceof IllegalArgumentException
          || e instanceof io.fabric8.kubernetes.client.KubernetesClientException ? e.getMessage() : e.toString()));
      return 1;
    });
  }
}
