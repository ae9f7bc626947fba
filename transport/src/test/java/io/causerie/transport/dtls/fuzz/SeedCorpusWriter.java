package io.causerie.transport.dtls.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed corpus of {@link DtlsServerLayerFuzzTest} into src/test/resources (the first byte of each seed
 * picks the source address). Not part of the normal test run; run once after changing the seeds:
 *
 * <pre>mvn -B -o -pl transport test -Dtest=SeedCorpusWriter -Dcauserie.fuzz.writeSeeds=true</pre>
 */
@EnabledIfSystemProperty(named = "causerie.fuzz.writeSeeds", matches = "true")
class SeedCorpusWriter {
  private static final Path DIR =
      Path.of("src/test/resources/io/causerie/transport/dtls/fuzz/DtlsServerLayerFuzzTestInputs/onDatagram");

  private static void write(String name, int source, byte[] datagram) throws IOException {
    Files.createDirectories(DIR);
    byte[] b = new byte[datagram.length + 1];
    b[0] = (byte) source;
    System.arraycopy(datagram, 0, b, 1, datagram.length);
    Files.write(DIR.resolve("seed-" + name), b);
  }

  /** A DTLS 1.2 ClientHello (one record, unfragmented) with the given cookie. */
  static byte[] clientHello(byte[] cookie) {
    byte[] suites = {(byte) 0xC0, 0x2B, (byte) 0xC0, 0x2F};
    // extensions: supported_groups (secp256r1), ec_point_formats, signature_algorithms (ecdsa_secp256r1_sha256),
    // extended_master_secret
    byte[] ext = {
        0x00, 0x0A, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,
        0x00, 0x0B, 0x00, 0x02, 0x01, 0x00,
        0x00, 0x0D, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03,
        0x00, 0x17, 0x00, 0x00};
    int bodyLen = 2 + 32 + 1 + 1 + cookie.length + 2 + suites.length + 2 + 2 + ext.length;
    byte[] out = new byte[13 + 12 + bodyLen];
    int p = 0;
    out[p++] = 22;
    out[p++] = (byte) 0xFE;
    out[p++] = (byte) 0xFD;
    p += 8; // epoch 0, sequence 0
    out[p++] = (byte) ((12 + bodyLen) >>> 8);
    out[p++] = (byte) (12 + bodyLen);
    out[p++] = 1; // client_hello
    p = put24(out, p, bodyLen);
    p += 2; // message_seq 0
    p = put24(out, p, 0);
    p = put24(out, p, bodyLen);
    out[p++] = (byte) 0xFE;
    out[p++] = (byte) 0xFD;
    for (int i = 0; i < 32; i++) {
      out[p++] = (byte) (i * 7 + 1);
    }
    out[p++] = 0; // session id
    out[p++] = (byte) cookie.length;
    System.arraycopy(cookie, 0, out, p, cookie.length);
    p += cookie.length;
    out[p++] = 0;
    out[p++] = (byte) suites.length;
    System.arraycopy(suites, 0, out, p, suites.length);
    p += suites.length;
    out[p++] = 1;
    out[p++] = 0; // null compression
    out[p++] = (byte) (ext.length >>> 8);
    out[p++] = (byte) ext.length;
    System.arraycopy(ext, 0, out, p, ext.length);
    return out;
  }

  private static int put24(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 16);
    b[p + 1] = (byte) (v >>> 8);
    b[p + 2] = (byte) v;
    return p + 3;
  }

  @Test
  void dtls() throws IOException {
    write("client-hello", 0, clientHello(new byte[0]));
    byte[] cookie = new byte[32];
    Arrays.fill(cookie, (byte) 0x5C);
    write("client-hello-bad-cookie", 1, clientHello(cookie));
    byte[] appData = new byte[13 + 40];
    appData[0] = 23;
    appData[1] = (byte) 0xFE;
    appData[2] = (byte) 0xFD;
    appData[4] = 1; // epoch 1
    appData[12] = 40;
    write("application-data-no-connection", 2, appData);
    byte[] alert = {21, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 40};
    write("alert", 3, alert);
    write("oversize", 0, new byte[1300]);
    write("stun-like", 2, new byte[] {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  }
}
