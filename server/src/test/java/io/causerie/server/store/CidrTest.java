package io.causerie.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CidrTest {
  @ParameterizedTest
  @CsvSource({
      "192.168.10.0/24, 192.168.10.0/24",
      "192.168.10.77/24, 192.168.10.0/24",
      "10.0.0.5, 10.0.0.5/32",
      "0.0.0.0/0, 0.0.0.0/0",
      "::1/128, ::1/128",
      "::1, ::1/128",
      "fe80::/10, fe80::/10",
      "FE80::1234/10, fe80::/10",
      "2001:db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
      "2001:0db8::/32, 2001:db8::/32",
      "::/0, ::/0",
      "::ffff:10.0.0.0/104, 10.0.0.0/8",
      " 172.16.0.0/12 , 172.16.0.0/12",
  })
  void parsesToCanonicalForm(String text, String canonical) {
    Cidr cidr = Cidr.parse(text);
    assertThat(cidr).hasToString(canonical);
    assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr).hasSameHashCodeAs(cidr);
  }

  @ParameterizedTest
  @CsvSource({
      "192.168.10.0/24, 192.168.10.1, true",
      "192.168.10.0/24, 192.168.10.255, true",
      "192.168.10.0/24, 192.168.11.1, false",
      "10.0.0.5, 10.0.0.5, true",
      "10.0.0.5, 10.0.0.6, false",
      "0.0.0.0/0, 203.0.113.9, true",
      "0.0.0.0/0, ::1, false",
      "::1/128, ::1, true",
      "::1/128, 127.0.0.1, false",
      "fe80::/10, fe80::1, true",
      "fe80::/10, febf:ffff::1, true",
      "fe80::/10, fec0::1, false",
      "172.16.0.0/12, 172.31.255.255, true",
      "172.16.0.0/12, 172.32.0.0, false",
  })
  void containment(String range, String address, boolean expected) throws UnknownHostException {
    assertThat(Cidr.parse(range).contains(InetAddress.getByName(address))).isEqualTo(expected);
  }

  @Test
  void ipv4MappedClientsMatchIpv4Ranges() throws UnknownHostException {
    // The JDK hands an IPv4 peer on a dual-stack socket over as an Inet4Address.
    assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("::ffff:10.1.2.3"))).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                    | must not be empty",
      "192.168.10            | not an IPv4 address",
      "192.168.10.0/33       | longer than 32 bits",
      "192.168.300.0/24      | 300",
      "192.168.010.0/24      | leading zeros",
      "192.168.10.0/         | prefix",
      "192.168.10.0/x        | prefix",
      "192.168.10.0/-1       | prefix",
      "fe80::/129            | longer than 128 bits",
      "fe80::1%eth0          | zone ids",
      "fe80:::1              | not an IPv6 address",
      "example.com           | not an IPv4 address",
      "localhost             | not an IPv4 address",
      "::ffff:10.0.0.0/8     | at least 96",
      "1.2.3.4/24/8          | prefix",
  })
  void badInputIsExplained(String text, String fragment) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(fragment);
  }

  @Test
  void accessors() {
    Cidr c = Cidr.parse("192.168.10.9/24");
    assertThat(c.prefixLength()).isEqualTo(24);
    assertThat(c.isIpv4()).isTrue();
    assertThat(c.network().getHostAddress()).isEqualTo("192.168.10.0");
    assertThat(Cidr.parse("fe80::/10").isIpv4()).isFalse();
  }
}
