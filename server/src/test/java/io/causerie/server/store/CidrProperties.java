package io.causerie.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CidrProperties {
  @Property
  void ipv4RangesRoundTripAndContainTheirAddress(
      @ForAll @Size(4) byte[] address, @ForAll @IntRange(max = 32) int prefix) throws UnknownHostException {
    InetAddress a = InetAddress.getByAddress(address);
    Cidr c = Cidr.parse(a.getHostAddress() + "/" + prefix);
    assertThat(Cidr.parse(c.toString())).isEqualTo(c);
    assertThat(c.contains(a)).isTrue();
  }

  @Property
  void ipv6RangesRoundTripAndContainTheirAddress(
      @ForAll @Size(16) byte[] address, @ForAll @IntRange(max = 128) int prefix) throws UnknownHostException {
    InetAddress a = InetAddress.getByAddress(address);
    String text = a.getHostAddress();
    if (a.getAddress().length == 4) {
      return; // an IPv4-mapped address: the JDK already made it IPv4
    }
    Cidr c = Cidr.parse(text + "/" + prefix);
    assertThat(Cidr.parse(c.toString())).isEqualTo(c);
    assertThat(c.contains(a)).isTrue();
  }

  @Property
  void aHostRangeContainsOnlyItself(@ForAll @Size(4) byte[] a, @ForAll @Size(4) byte[] b) throws UnknownHostException {
    InetAddress x = InetAddress.getByAddress(a);
    InetAddress y = InetAddress.getByAddress(b);
    assertThat(Cidr.parse(x.getHostAddress()).contains(y)).isEqualTo(x.equals(y));
  }

  @Property
  void arbitraryTextGivesARangeOrIllegalArgument(@ForAll String text) {
    try {
      Cidr.parse(text);
    } catch (IllegalArgumentException expected) {
      // the only failure allowed
    }
  }
}
