package dev.plonk.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The node's own network namespace {@code plonk-<index>}, joined to the host by one veth pair, and its cgroup parent.
 * The namespace has no default route, and forwarding out of it to anything but the host's veth address is dropped,
 * so no pod can reach the host's network or beyond. The host gets one route, to the node's pod subnet.
 * A janitor started with it runs {@code node-cleanup.sh} when this JVM dies, even by {@code kill -9}.
 */
public final class NodeNetwork implements AutoCloseable {
  private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

  private final NodeAddresses addresses;
  private final Path stateDir;
  private final Path cleanupScript;
  private Process janitor;

  private NodeNetwork(NodeAddresses addresses, Path stateDir) {
    this.addresses = addresses;
    this.stateDir = stateDir;
    this.cleanupScript = stateDir.resolve("node-cleanup.sh");
  }

  /** Whether a named network namespace exists, as {@code ip netns list} names them. */
  static boolean exists(String netns) {
    return Commands.run(10, "ip", "netns", "list").lines().anyMatch(l -> l.split("\\s+")[0].equals(netns));
  }

  /** Claims the first free index ({@code ip netns add} is the lock between devstacks) and wires it up. */
  public static NodeNetwork create(Path stateDir) {
    String inUse = Commands.run(10, "ip", "-4", "route", "show", "table", "all")
        + Commands.run(10, "ip", "-4", "-o", "addr");
    for (int i = NodeAddresses.FIRST; i <= NodeAddresses.LAST; i++) {
      NodeAddresses candidate = new NodeAddresses(i);
      if (candidate.usedIn(inUse) || exists(candidate.netns())) {
        continue;
      }
      if (Commands.tryRun(10, List.of("ip", "netns", "add", candidate.netns())).exitCode() == 0) {
        NodeNetwork network = new NodeNetwork(candidate, stateDir);
        try {
          network.setUp();
        } catch (RuntimeException e) {
          network.close();
          throw e;
        }
        return network;
      }
    }
    throw new DevStackException("no free node index in " + NodeAddresses.FIRST + ".." + NodeAddresses.LAST
        + " (each devstack node takes a network namespace plonk-<index> and 10.<index>.0.0/16); see `ip netns`");
  }

  private void setUp() {
    writeCleanupScript();
    startJanitor();
    String ns = addresses.netns();
    Commands.run(10, "ip", "link", "add", addresses.hostInterface(), "type", "veth", "peer", "name", "eth0", "netns", ns);
    Commands.run(10, "ip", "addr", "add", addresses.hostIp() + "/24", "dev", addresses.hostInterface());
    Commands.run(10, "ip", "link", "set", addresses.hostInterface(), "up");
    inside("ip", "addr", "add", addresses.nodeIp() + "/24", "dev", "eth0");
    inside("ip", "link", "set", "eth0", "up");
    inside("ip", "link", "set", "lo", "up");
    inside("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.bridge.bridge-nf-call-iptables=1",
        "net.bridge.bridge-nf-call-ip6tables=1");
    // pods may reach the host's veth address (the apiserver, test receivers) and nothing else outside the node
    inside("iptables", "-w", "-I", "FORWARD", "-o", "eth0", "!", "-d", addresses.hostIp() + "/32", "-j", "DROP");
    Commands.run(10, "ip", "route", "add", addresses.podSubnet(), "via", addresses.nodeIp(),
        "dev", addresses.hostInterface());
    createCgroups();
  }

  /** Runs a short command inside the node's network namespace. */
  public String inside(String... command) {
    return Commands.run(30, prefix(List.of(command)));
  }

  /** {@code command} wrapped to run inside the node's network namespace (only the network namespace is entered). */
  public List<String> prefix(List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + addresses.netns(), "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  public NodeAddresses addresses() {
    return addresses;
  }

  /** The cgroup parent of every pod of this node (the kubelet's {@code cgroupRoot}). */
  public String cgroupRoot() {
    return "/" + addresses.netns();
  }

  /** One cgroup per v1 hierarchy, cpuset seeded from the root so that children may be created. */
  private void createCgroups() {
    try (Stream<Path> hierarchies = Files.list(CGROUPS)) {
      for (Path hierarchy : hierarchies.filter(h -> Files.isRegularFile(h.resolve("cgroup.procs"))).toList()) {
        Path mine = Files.createDirectories(hierarchy.resolve(addresses.netns()));
        for (String seed : List.of("cpuset.cpus", "cpuset.mems")) {
          if (Files.exists(hierarchy.resolve(seed))) {
            Files.writeString(mine.resolve(seed), Files.readString(hierarchy.resolve(seed)).trim());
          }
        }
      }
    } catch (IOException e) {
      throw new DevStackException("cannot create the node's cgroups under " + CGROUPS + ": " + e.getMessage(), e);
    }
  }

  private void writeCleanupScript() {
    try (InputStream in = NodeNetwork.class.getResourceAsStream("node-cleanup.sh")) {
      Files.createDirectories(stateDir);
      Files.write(cleanupScript, in.readAllBytes());
    } catch (IOException | NullPointerException e) {
      throw new DevStackException("cannot write " + cleanupScript + ": " + e.getMessage(), e);
    }
  }

  private void startJanitor() {
    long jvm = ProcessHandle.current().pid();
    String script = "while kill -0 " + jvm + " 2>/dev/null; do sleep 1; done; sleep 1; exec bash '" + cleanupScript
        + "' " + addresses.netns() + " '" + stateDir + "'";
    try {
      janitor = new ProcessBuilder("setsid", "bash", "-c", script)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new DevStackException("cannot start the node janitor: " + e.getMessage(), e);
    }
  }

  /** Kills what is left of the node, unmounts, removes cgroups and the namespace. Idempotent. */
  @Override
  public void close() {
    Commands.Result result = Commands.tryRun(120,
        List.of("bash", cleanupScript.toString(), addresses.netns(), stateDir.toString()));
    if (result.exitCode() != 0) {
      System.err.println("[devstack] node cleanup: " + result.output());
    }
    if (janitor != null) {
      janitor.destroyForcibly();
    }
  }

  /** Mount points still under the node's state folder (empty after {@link #close()}). */
  public List<String> mountsLeft() {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
          .filter(m -> m.startsWith(stateDir + "/")).toList();
    } catch (IOException e) {
      throw new DevStackException("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
    }
  }
}
