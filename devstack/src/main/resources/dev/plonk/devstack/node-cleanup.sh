#!/usr/bin/env bash
# Removes everything one devstack node made, whether its JVM stopped it or died:
#   node-cleanup.sh NETNS STATE_DIR
# NETNS (plonk-<index>) names the network namespace, the node's cgroup parent and its CNI network.
# 1. kill every process of the node: the pods' containers (the node's cgroups), then whatever runs in its network
#    namespace (containerd, its shims, kubelet, kube-proxy, CoreDNS);
# 2. unmount everything under STATE_DIR (container root filesystems, volumes, pod network namespaces);
# 3. remove the node's cgroups, its CNI result cache and log links, and its network namespace (with it go the veth
#    pair, the host route to the pods, the bridge and every iptables chain kube-proxy and CNI made in it).
set -u
ns="$1" state="$2"
[[ "$ns" =~ ^plonk-[0-9]+$ ]] || { echo "refusing to clean up '$ns': not a devstack node" >&2; exit 2; }
[ -n "$state" ] && [ "$state" != / ] || { echo "refusing to clean up state folder '$state'" >&2; exit 2; }

# the shims' sockets (containerd 2 keeps them in /run/containerd/s, named by a hash), to remove once they are dead
shim_sockets="$(nsenter --net="/run/netns/$ns" ss -xlpn 2>/dev/null | awk '/containerd-shim/ && $5 ~ /^\/run\/containerd\/s\// {print $5}')"

node_pids() {
  find /sys/fs/cgroup/*/"$ns" -name cgroup.procs -exec cat {} + 2>/dev/null
  ip netns pids "$ns" 2>/dev/null
}
for _ in 1 2 3 4 5; do
  pids="$(node_pids | sort -u | tr '\n' ' ')"
  [ -z "${pids// /}" ] && break
  kill -KILL $pids 2>/dev/null
  sleep 0.5
done

for _ in 1 2 3; do
  mounts="$(awk -v s="$state/" 'index($5, s) == 1 {print $5}' /proc/self/mountinfo | sort -r)"
  [ -z "$mounts" ] && break
  while read -r m; do umount -l "$m" 2>/dev/null; done <<< "$mounts"
done

for _ in 1 2 3; do
  find /sys/fs/cgroup/*/"$ns" -depth -type d -exec rmdir {} \; 2>/dev/null
  compgen -G "/sys/fs/cgroup/*/$ns" >/dev/null || break
  sleep 0.5
done

[ -n "$shim_sockets" ] && rm -f $shim_sockets
rmdir /run/containerd/s /run/containerd 2>/dev/null
rm -f /var/lib/cni/results/"$ns"-* 2>/dev/null
grep -lF "\"netns\":\"$state/" /var/lib/cni/results/* 2>/dev/null | xargs -r rm -f
find /var/log/containers -maxdepth 1 -lname "$state/*" -delete 2>/dev/null
ip netns del "$ns" 2>/dev/null
exit 0
