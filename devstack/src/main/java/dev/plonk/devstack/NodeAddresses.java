package dev.plonk.devstack;

/**
 * The addresses of one devstack node, all inside {@code 10.<index>.0.0/16} so that several nodes on one machine
 * never overlap: the veth pair joining the node's network namespace to the host ({@code 10.<index>.255.1} on the
 * host, {@code 10.<index>.255.2} in the node), and the pod subnet {@code 10.<index>.0.0/24} behind the node's bridge.
 */
public record NodeAddresses(int index) {
  /** The indexes tried, lowest first. */
  public static final int FIRST = 64;
  public static final int LAST = 127;

  public NodeAddresses {
    if (index < FIRST || index > LAST) {
      throw new IllegalArgumentException("node index " + index + " outside " + FIRST + ".." + LAST);
    }
  }

  /** The network namespace, also the node's cgroup parent and CNI network name. */
  public String netns() {
    return "plonk-" + index;
  }

  /** The host end of the veth pair (interface names are at most 15 characters). */
  public String hostInterface() {
    return "plonk-" + index + "h";
  }

  /** The host's address on the veth: the apiserver listens here, pods reach it through the node. */
  public String hostIp() {
    return "10." + index + ".255.1";
  }

  /** The node's own address (the kubelet's node IP, NodePorts, CoreDNS). */
  public String nodeIp() {
    return "10." + index + ".255.2";
  }

  public String linkCidr() {
    return "10." + index + ".255.0/24";
  }

  public String podSubnet() {
    return "10." + index + ".0.0/24";
  }

  public String podGateway() {
    return "10." + index + ".0.1";
  }

  /** What kube-proxy treats as cluster traffic. */
  public String clusterCidr() {
    return "10." + index + ".0.0/16";
  }

  /** True when an {@code ip -4 route} / {@code ip -4 addr} listing already uses this node's /16. */
  public boolean usedIn(String ipListing) {
    return ipListing.contains(" 10." + index + ".") || ipListing.contains("\n10." + index + ".")
        || ipListing.startsWith("10." + index + ".");
  }
}
