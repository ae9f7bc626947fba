package io.causerie.transport.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ServerIdentityTest {
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 5060);

  @Test
  void encodeDecodeRoundTripKeepsTheFingerprint() {
    ServerIdentity id = ServerIdentity.generate(DtlsFixture.RANDOM);
    ServerIdentity back = ServerIdentity.decode(id.encode());
    assertThat(back.fingerprint()).isEqualTo(id.fingerprint());
    assertThat(back.certificateDer()).isEqualTo(id.certificateDer());
    assertThat(back.encode()).isEqualTo(id.encode());
    assertThat(id.fingerprint()).matches("SHA256:([0-9A-F]{2}:){31}[0-9A-F]{2}");
    assertThat(ServerIdentity.fingerprintOf(id.certificateDer())).isEqualTo(id.fingerprint());
    assertThat(ServerIdentity.generate(DtlsFixture.RANDOM).fingerprint()).isNotEqualTo(id.fingerprint());
  }

  @Test
  void decodeRejectsCorruptInput() {
    byte[] good = ServerIdentity.generate(DtlsFixture.RANDOM).encode();
    assertThatThrownBy(() -> ServerIdentity.decode(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerIdentity.decode(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerIdentity.decode(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    // The key of one identity with the certificate of another.
    byte[] other = ServerIdentity.generate(DtlsFixture.RANDOM).encode();
    byte[] key = part(good, 0);
    byte[] cert = part(other, 1);
    byte[] mixed = java.nio.ByteBuffer.allocate(5 + 4 + key.length + 4 + cert.length)
        .put(Arrays.copyOf(good, 5)).putInt(key.length).put(key).putInt(cert.length).put(cert).array();
    assertThatThrownBy(() -> ServerIdentity.decode(mixed))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
  }

  /** Part {@code index} (0 = key, 1 = certificate) of an encoded identity. */
  private static byte[] part(byte[] encoded, int index) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(encoded, 5, encoded.length - 5);
    byte[] p = null;
    for (int i = 0; i <= index; i++) {
      p = new byte[b.getInt()];
      b.get(p);
    }
    return p;
  }

  @Test
  void pinnedComparesCaseInsensitivelyWithOrWithoutPrefix() throws Exception {
    String fp = ServerIdentity.generate(DtlsFixture.RANDOM).fingerprint();
    String bare = fp.substring("SHA256:".length());
    for (String form : new String[] {fp, fp.toLowerCase(Locale.ROOT), bare, bare.toLowerCase(Locale.ROOT),
        bare.replace(":", ""), "sha256:" + bare}) {
      ServerFingerprintPolicy.pinned(form).check(SERVER, fp);
    }
    String other = ServerIdentity.generate(DtlsFixture.RANDOM).fingerprint();
    assertThatThrownBy(() -> ServerFingerprintPolicy.pinned(bare).check(SERVER, other))
        .isInstanceOf(FingerprintMismatchException.class)
        .hasMessage("the server at 127.0.0.1:5060 presented " + other + " but " + fp
            + " is pinned in --server-fingerprint; if the server's key was regenerated on purpose, "
            + "pass its new fingerprint to --server-fingerprint");
    assertThatThrownBy(() -> ServerFingerprintPolicy.pinned("SHA256:nothex"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void knownServersRecordsPerServerAndIgnoresComments(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("sub/known_servers");
    KnownServers known = new KnownServers(file);
    String a = ServerIdentity.generate(DtlsFixture.RANDOM).fingerprint();
    String b = ServerIdentity.generate(DtlsFixture.RANDOM).fingerprint();
    known.check(SERVER, a);
    known.check(new InetSocketAddress("127.0.0.1", 5061), b);
    known.check(SERVER, a);
    java.nio.file.Files.writeString(file, "# comment\n\ngarbage\n", java.nio.file.StandardOpenOption.APPEND);
    assertThat(new KnownServers(file).lookup("127.0.0.1:5060")).isEqualTo(a);
    assertThat(new KnownServers(file).lookup("127.0.0.1:5061")).isEqualTo(b);
    assertThatThrownBy(() -> known.check(SERVER, b))
        .isInstanceOf(FingerprintMismatchException.class)
        .hasMessageContaining(b + " but " + a + " is pinned in " + file)
        .hasMessageEndingWith("remove that line");
    assertThat(KnownServers.hostPort(new InetSocketAddress("::1", 7))).isEqualTo("[0:0:0:0:0:0:0:1]:7");
  }
}
