package dev.plonk.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeAddressesTest {
  @Test
  void everyAddressOfANodeLivesInItsOwnSlash16() {
    NodeAddresses a = new NodeAddresses(70);
    assertThat(a.netns()).isEqualTo("plonk-70");
    assertThat(a.hostInterface()).isEqualTo("plonk-70h").hasSizeLessThanOrEqualTo(15);
    assertThat(a.hostIp()).isEqualTo("10.70.255.1");
    assertThat(a.nodeIp()).isEqualTo("10.70.255.2");
    assertThat(a.podSubnet()).isEqualTo("10.70.0.0/24");
    assertThat(a.podGateway()).isEqualTo("10.70.0.1");
    assertThat(a.clusterCidr()).isEqualTo("10.70.0.0/16");
    assertThat(new NodeAddresses(NodeAddresses.LAST).hostInterface()).hasSizeLessThanOrEqualTo(15);
  }

  @Test
  void anIndexIsTakenWhenTheHostAlreadyRoutesItsRange() {
    String routes = "default via 192.0.2.1 dev eth0\n10.64.0.0/24 via 10.64.255.2 dev plonk-64h\n"
        + "10.64.255.0/24 dev plonk-64h proto kernel scope link src 10.64.255.1\n";
    assertThat(new NodeAddresses(64).usedIn(routes)).isTrue();
    assertThat(new NodeAddresses(65).usedIn(routes)).isFalse();
    assertThat(new NodeAddresses(100).usedIn("2: eth0    inet 10.100.3.4/16 brd 10.100.255.255 scope global eth0"))
        .isTrue();
  }

  @Test
  void indexesOutsideTheRangeAreRefused() {
    assertThatThrownBy(() -> new NodeAddresses(NodeAddresses.FIRST - 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
