package io.causerie.server.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address range such as {@code 192.168.10.0/24} or {@code fe80::/10}, used to limit where a user may
 * sign in from. A bare address is a single-host range. Host bits below the prefix are cleared, so
 * {@code 10.1.2.3/8} means {@code 10.0.0.0/8}. Parsing never does a DNS lookup.
 */
public final class Cidr {
  private static final int IPV4_BITS = 32;
  private static final int IPV6_BITS = 128;
  /** Bits in front of an IPv4 address mapped into IPv6 ({@code ::ffff:a.b.c.d}). */
  private static final int MAPPED_PREFIX_BITS = 96;
  /** Longest text worth parsing: a full IPv6 address with an embedded IPv4 part and a prefix. */
  private static final int MAX_TEXT_CHARS = 64;

  private final byte[] network;
  private final int prefixLength;

  private Cidr(byte[] network, int prefixLength) {
    this.network = mask(network, prefixLength);
    this.prefixLength = prefixLength;
  }

  /**
   * Parses {@code address[/prefix]}.
   *
   * @throws IllegalArgumentException with a message naming the text and what is wrong
   */
  public static Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("address range must not be empty");
    }
    String t = text.strip();
    if (t.length() > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException("address range '" + t.substring(0, MAX_TEXT_CHARS) + "…' is too long");
    }
    int slash = t.indexOf('/');
    String addressText = slash < 0 ? t : t.substring(0, slash);
    boolean ipv6Text = addressText.indexOf(':') >= 0;
    byte[] address = ipv6Text ? parseIpv6(addressText, t) : parseIpv4(addressText, t);
    int textBits = ipv6Text ? IPV6_BITS : IPV4_BITS;
    int prefix = slash < 0 ? textBits : parsePrefix(t.substring(slash + 1), textBits, t);
    if (ipv6Text && address.length == 4) {
      // The JDK turns ::ffff:a.b.c.d into an IPv4 address; the prefix then counts from the mapped part.
      if (prefix < MAPPED_PREFIX_BITS) {
        throw new IllegalArgumentException("address range '" + t + "': an IPv4-mapped range needs a prefix of at least "
            + MAPPED_PREFIX_BITS);
      }
      prefix -= MAPPED_PREFIX_BITS;
    }
    return new Cidr(address, prefix);
  }

  /** True when the address lies in this range; an address of the other family never does. */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    return Arrays.equals(mask(a, prefixLength), network);
  }

  /** The first address of the range. */
  public InetAddress network() {
    try {
      return InetAddress.getByAddress(network);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
    }
  }

  public int prefixLength() {
    return prefixLength;
  }

  public boolean isIpv4() {
    return network.length == 4;
  }

  /** Canonical text: {@code 192.168.10.0/24}, {@code fe80::/10} (RFC 5952 compression for IPv6). */
  @Override
  public String toString() {
    return (isIpv4() ? formatIpv4(network) : formatIpv6(network)) + "/" + prefixLength;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && prefixLength == c.prefixLength && Arrays.equals(network, c.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  private static byte[] parseIpv4(String s, String whole) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("address range '" + whole + "': '" + s + "' is not an IPv4 address"
          + " (four numbers 0-255 separated by dots) or an IPv6 address");
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
          || (p.length() > 1 && p.charAt(0) == '0')) {
        throw new IllegalArgumentException("address range '" + whole + "': '" + p
            + "' is not a number 0-255 (without leading zeros)");
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        throw new IllegalArgumentException("address range '" + whole + "': " + v + " is larger than 255");
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parseIpv6(String s, String whole) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException("address range '" + whole + "': '" + s + "' is not an IPv6 address"
            + (c == '%' ? " (zone ids are not allowed)" : ""));
      }
    }
    try {
      // Brackets make the JDK treat the text as an IPv6 literal only: it never falls back to a DNS lookup.
      InetAddress a = InetAddress.getByName("[" + s + "]");
      return a.getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address range '" + whole + "': '" + s + "' is not an IPv6 address");
    }
  }

  private static int parsePrefix(String p, int maxBits, String whole) {
    if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("address range '" + whole + "': prefix '" + p + "' is not a number 0-"
          + maxBits);
    }
    int v = Integer.parseInt(p);
    if (v > maxBits) {
      throw new IllegalArgumentException("address range '" + whole + "': prefix /" + v + " is longer than "
          + maxBits + " bits");
    }
    return v;
  }

  private static byte[] mask(byte[] address, int prefixLength) {
    byte[] out = address.clone();
    for (int bit = prefixLength; bit < out.length * 8; bit++) {
      out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return out;
  }

  private static String formatIpv4(byte[] a) {
    return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
  }

  /** RFC 5952 §4: lower case, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
  private static String formatIpv6(byte[] a) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
