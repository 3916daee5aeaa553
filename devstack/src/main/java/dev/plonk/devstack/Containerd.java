package dev.plonk.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * containerd 2 (config version 3) inside the node's network namespace: CRI with runc built from source, the
 * overlayfs snapshotter, the bridge CNI network of the node's pod subnet, and the locally built pause image pinned
 * as the sandbox image. Every path (root, state, sockets, pod network namespaces, runc state) is under its folder.
 */
public final class Containerd {
  private final Path dir;
  private final NodeBinaries binaries;
  private final NodeNetwork network;
  private ManagedProcess process;

  public Containerd(Path dir, NodeBinaries binaries, NodeNetwork network) {
    this.dir = Kubernetes.mkdirs(dir);
    this.binaries = binaries;
    this.network = network;
  }

  public Path socket() {
    return dir.resolve("containerd.sock");
  }

  /** A crictl config file pointing at this containerd ({@code crictl --config}, or env {@code CRI_CONFIG_FILE}). */
  public Path crictlConfig() {
    return dir.resolve("crictl.yaml");
  }

  public Containerd start() {
    write(crictlConfig(), "runtime-endpoint: unix://" + socket() + "\nimage-endpoint: unix://" + socket()
        + "\ntimeout: 30\n");
    Path config = dir.resolve("config.toml");
    write(config, config());
    write(Kubernetes.mkdirs(dir.resolve("net.d")).resolve("10-plonk.conflist"), cniConfig());
    String path = binaries.containerdDir() + ":" + binaries.runc().getParent() + ":"
        + System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin") + ":/usr/sbin:/sbin";
    process = new ManagedProcess("containerd", network.prefix(List.of(binaries.containerd().toString(),
        "--config", config.toString(), "--log-level", "warn")), dir.resolve("containerd.log"), Map.of("PATH", path))
        .start();
    Net.await("containerd CRI on " + socket(), Duration.ofSeconds(30), this::ready, process);
    importImage(binaries.pauseImage());
    return this;
  }

  private boolean ready() {
    return Files.exists(socket())
        && Commands.tryRun(10, List.of(binaries.crictl().toString(), "--config", crictlConfig().toString(),
            "info")).exitCode() == 0;
  }

  /** Loads a {@code docker save}-format (or OCI) image tarball into the CRI's image store. */
  public void importImage(Path tar) {
    Commands.run(300, ctr("images", "import", "--local", tar.toString()));
  }

  /** A {@code ctr} command line against this containerd, in the {@code k8s.io} namespace the kubelet uses. */
  public List<String> ctr(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(binaries.ctr().toString(), "--address",
        socket().toString(), "--namespace", "k8s.io"));
    command.addAll(List.of(args));
    return command;
  }

  public ManagedProcess process() {
    return process;
  }

  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(10));
    }
  }

  private String config() {
    String cri = "plugins.'io.containerd.cri.v1.runtime'";
    return """
        version = 3
        root = "%1$s/root"
        state = "%1$s/state"
        temp = "%1$s/tmp"
        imports = []
        disabled_plugins = ["io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]

        [grpc]
          address = "%1$s/containerd.sock"
        [ttrpc]
          address = "%1$s/containerd.sock.ttrpc"

        [plugins.'io.containerd.internal.v1.opt']
          path = "%1$s/opt"
        [plugins.'io.containerd.nri.v1.nri']
          disable = true
        [plugins.'io.containerd.cri.v1.images']
          snapshotter = "overlayfs"
          [plugins.'io.containerd.cri.v1.images'.pinned_images]
            sandbox = "%2$s"
        [%3$s]
          restrict_oom_score_adj = true
          netns_mounts_under_state_dir = true
          enable_selinux = false
          [%3$s.containerd]
            default_runtime_name = "runc"
            [%3$s.containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              [%3$s.containerd.runtimes.runc.options]
                BinaryName = "%4$s"
                Root = "%1$s/runc"
                SystemdCgroup = false
          [%3$s.cni]
            bin_dirs = ["%5$s"]
            conf_dir = "%1$s/net.d"
        """.formatted(dir, NodeBinaries.PAUSE_IMAGE, cri, binaries.runc(), binaries.cniDir());
  }

  private String cniConfig() {
    NodeAddresses a = network.addresses();
    return """
        {
          "cniVersion": "1.0.0",
          "name": "%1$s",
          "plugins": [
            {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
             "ipam": {"type": "host-local", "dataDir": "%2$s/ipam",
                      "ranges": [[{"subnet": "%3$s", "gateway": "%4$s"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
            {"type": "portmap", "capabilities": {"portMappings": true}}
          ]
        }
        """.formatted(a.netns(), dir, a.podSubnet(), a.podGateway());
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new DevStackException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
