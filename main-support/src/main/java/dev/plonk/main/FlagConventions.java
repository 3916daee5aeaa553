package dev.plonk.main;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flag conventions of the gateway, rollout-controller and queue-worker mains, checked by each one's
 * {@code --help} test:
 * <ul>
 *   <li>every flag falls back to the environment variable {@code PLONK_<COMPONENT>_<FLAG>} (e.g. {@code --nats-url}
 *       of the queue-worker: {@code PLONK_QUEUE_NATS_URL}), and {@code --help} names it;</li>
 *   <li>durations are written the Go way, as Kubernetes users type them ({@code 500ms}, {@code 30s}, {@code 1m30s}),
 *       through {@link GoDuration.Converter};</li>
 *   <li>the listen address is {@code --bind}, by default {@value #DEFAULT_BIND} (manifests set {@code 0.0.0.0}),
 *       and {@code /healthz} and {@code /metrics} are served on {@code --port}.</li>
 * </ul>
 */
public final class FlagConventions {
  public static final String DEFAULT_BIND = "127.0.0.1";

  private FlagConventions() {}

  /** What in {@code command}'s flags breaks the conventions; empty when it follows them. */
  public static List<String> problems(CommandLine command, String envPrefix) {
    List<String> problems = new ArrayList<>();
    String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
    Map<OptionSpec, String> declared = declaredDefaults(command);
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      String flag = option.longestName().replace("--[no-]", "--");
      String env = envPrefix + flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
      String fallback = declared.get(option);
      if (fallback == null || !(fallback.equals("${env:" + env + "}") || fallback.startsWith("${env:" + env + ":-"))) {
        problems.add(flag + " must fall back to the environment variable " + env + ", its default is " + fallback);
      }
      if (!help.contains(env)) {
        problems.add("--help must name " + env + " for " + flag);
      }
      if (option.type() == Duration.class && (option.converters().length == 0
          || !(option.converters()[0] instanceof GoDuration.Converter))) {
        problems.add(flag + " must take Go-style durations (converter = GoDuration.Converter.class)");
      }
    }
    OptionSpec bind = command.getCommandSpec().findOption("--bind");
    if (bind == null || declared.get(bind) == null || !declared.get(bind).endsWith(":-" + DEFAULT_BIND + "}")) {
      problems.add("the listen address must be --bind, by default " + DEFAULT_BIND);
    }
    if (command.getCommandSpec().findOption("--port") == null) {
      problems.add("the port of /healthz and /metrics must be --port");
    }
    return problems;
  }

  /** Each option's default as declared, e.g. {@code ${env:PLONK_X_PORT:-8080}}, before variables are interpolated. */
  private static Map<OptionSpec, String> declaredDefaults(CommandLine command) {
    boolean interpolate = command.isInterpolateVariables();
    command.setInterpolateVariables(false);
    try {
      Map<OptionSpec, String> declared = new HashMap<>();
      command.getCommandSpec().options().forEach(option -> declared.put(option, option.defaultValue()));
      return declared;
    } finally {
      command.setInterpolateVariables(interpolate);
    }
  }
}
