package io.causerie.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causerie.protocol.scram.FakeCredentials;
import io.causerie.protocol.scram.ScramAuthenticationException;
import io.causerie.protocol.scram.ScramClient;
import io.causerie.protocol.scram.ScramCredential;
import io.causerie.protocol.scram.ScramException;
import io.causerie.protocol.scram.ScramLimits;
import io.causerie.protocol.scram.ScramServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzz targets for the four SCRAM message parsers (protocol/src/main/java/io/causerie/protocol/scram/). The raw
 * input is read as UTF-8 (malformed sequences become U+FFFD, as they would after the signalling codec, which
 * rejects them outright).
 *
 * <ul>
 *   <li>{@code clientFirst}: {@link ScramServer#parseClientFirst}; only {@link ScramException}; a parsed message
 *       is canonical ({@code n,,n=<escaped name>,r=<nonce>} is a prefix of the input), its name is non-empty, at
 *       most 64 UTF-8 bytes and NUL-free, its nonce printable; the server-first built from it has the RFC shape.
 *   <li>{@code clientFinal}: {@link ScramServer#serverFinal} for a known and for an unknown user; only {@link
 *       ScramException}; the unknown user is never accepted and fails exactly like the known one (same exception
 *       class and message: no user enumeration); the known user is accepted only for the genuine proof over the
 *       genuine transcript.
 *   <li>{@code serverFirst}: {@link ScramClient#clientFinalMessage}; only {@link ScramException}; a success
 *       extends the client nonce and yields {@code c=biws,r=<nonce>,p=<base64 of 32 bytes>}. Inputs asking for more
 *       than {@value #MAX_FUZZ_ITERATIONS} PBKDF2 iterations are skipped (legal up to 10 000 000, but each costs
 *       seconds).
 *   <li>{@code serverFinal}: {@link ScramClient#verifyServerFinal}; only {@link ScramException}; {@code e=}
 *       within the size limit gives {@link ScramAuthenticationException}; acceptance only for the genuine server
 *       signature.
 * </ul>
 */
class ScramFuzzTest {
  static final String USER = "alice";
  static final String UNKNOWN_USER = "mallory";
  static final char[] PASSWORD = "pencil".toCharArray();
  static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
  static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  static final byte[] SALT = "causerie-fuzz-16".getBytes(StandardCharsets.US_ASCII);
  static final int ITERATIONS = ScramCredential.MIN_ITERATIONS;
  static final int MAX_FUZZ_ITERATIONS = 2 * ScramCredential.MIN_ITERATIONS;

  static final ScramCredential CREDENTIAL = ScramCredential.derive(PASSWORD, SALT, ITERATIONS);
  static final FakeCredentials FAKE = new FakeCredentials(new byte[FakeCredentials.SECRET_BYTES], ITERATIONS);

  /** A genuine exchange, computed once. */
  static final String CLIENT_FIRST;
  static final String SERVER_FIRST;
  static final String CLIENT_FINAL;
  static final String SERVER_FINAL;
  /** A client that has sent {@link #CLIENT_FINAL} and waits for the server-final. */
  static final ScramClient WAITING_CLIENT;

  static {
    try {
      ScramClient client = new ScramClient(USER, PASSWORD, CLIENT_NONCE);
      CLIENT_FIRST = client.clientFirstMessage();
      ScramServer server = knownUserServer();
      SERVER_FIRST = server.serverFirstMessage();
      CLIENT_FINAL = client.clientFinalMessage(SERVER_FIRST);
      SERVER_FINAL = server.serverFinal(CLIENT_FINAL);
      WAITING_CLIENT = client;
    } catch (ScramException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final Pattern CLIENT_FINAL_SHAPE =
      Pattern.compile("c=biws,r=([\\x21-\\x2B\\x2D-\\x7E]+),p=([A-Za-z0-9+/]{43}=)");
  private static final Pattern ITERATION_FIELD = Pattern.compile("(?:^|,)i=([0-9]+)");

  static ScramServer knownUserServer() throws ScramException {
    return ScramServer.start(CLIENT_FIRST, u -> u.equals(USER) ? Optional.of(CREDENTIAL) : Optional.empty(),
        SERVER_NONCE, FAKE);
  }

  static ScramServer unknownUserServer() throws ScramException {
    // Same nonce, another (unknown) name: the transcript differs only in the name.
    String first = "n,,n=" + UNKNOWN_USER + ",r=" + CLIENT_NONCE;
    return ScramServer.start(first, u -> Optional.empty(), SERVER_NONCE, FAKE);
  }

  private static String text(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }

  private static String escape(String name) {
    return name.replace("=", "=3D").replace(",", "=2C");
  }

  @FuzzTest
  void clientFirst(byte[] data) {
    String s = text(data);
    ScramServer.ClientFirst parsed;
    try {
      parsed = ScramServer.parseClientFirst(s);
    } catch (ScramException e) {
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("parseClientFirst threw " + e, e);
    }
    String name = parsed.username();
    assertFalse(name.isEmpty());
    assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= ScramLimits.MAX_USERNAME_BYTES, "name too long");
    assertEquals(-1, name.indexOf('\0'), "name with NUL");
    assertTrue(parsed.clientNonce().chars().allMatch(c -> c >= 0x21 && c <= 0x7E && c != ','), "nonce");
    assertTrue(s.startsWith("n,,n=" + escape(name) + ",r=" + parsed.clientNonce()), "non-canonical parse of " + s);
    assertEquals(s.substring(3), parsed.bare());

    ScramServer server = ScramServer.start(parsed, Optional.empty(), SERVER_NONCE, FAKE);
    assertEquals(name, server.username());
    String first = server.serverFirstMessage();
    assertTrue(first.startsWith("r=" + parsed.clientNonce() + SERVER_NONCE + ",s="), first);
    assertTrue(first.endsWith(",i=" + ITERATIONS), first);
  }

  @FuzzTest
  void clientFinal(byte[] data) throws ScramException {
    String s = text(data);
    String accepted = null;
    ScramException knownFailure = null;
    try {
      accepted = knownUserServer().serverFinal(s);
    } catch (ScramException e) {
      knownFailure = e;
    } catch (RuntimeException e) {
      throw new AssertionError("serverFinal threw " + e, e);
    }
    ScramException unknownFailure = null;
    try {
      String v = unknownUserServer().serverFinal(s);
      fail("an unknown user was accepted with " + s + " -> " + v);
    } catch (ScramException e) {
      unknownFailure = e;
    } catch (RuntimeException e) {
      throw new AssertionError("serverFinal (unknown user) threw " + e, e);
    }
    if (accepted != null) {
      assertEquals(SERVER_FINAL, accepted);
      assertGenuineClientFinal(s);
      assertTrue(unknownFailure instanceof ScramAuthenticationException);
      return;
    }
    assertEquals(knownFailure.getClass(), unknownFailure.getClass(), "known and unknown users fail differently");
    assertEquals(knownFailure.getMessage(), unknownFailure.getMessage(), "known and unknown users fail differently");
    if (knownFailure instanceof ScramAuthenticationException) {
      assertEquals(ScramAuthenticationException.SERVER_MESSAGE, knownFailure.getMessage());
    }
  }

  /** The only accepted client-final: the genuine one, up to base64 padding of the proof. */
  private static void assertGenuineClientFinal(String s) {
    int p = s.lastIndexOf(",p=");
    assertEquals(CLIENT_FINAL.substring(0, CLIENT_FINAL.lastIndexOf(",p=")), s.substring(0, p),
        "accepted a client-final over another transcript");
    Base64.Decoder d = Base64.getDecoder();
    assertArrayEquals(d.decode(CLIENT_FINAL.substring(CLIENT_FINAL.lastIndexOf(",p=") + 3)),
        d.decode(s.substring(p + 3)), "accepted another proof");
  }

  @FuzzTest
  void serverFirst(byte[] data) {
    String s = text(data);
    Matcher it = ITERATION_FIELD.matcher(s);
    while (it.find()) {
      String digits = it.group(1);
      if (digits.length() > 6 || Integer.parseInt(digits) > MAX_FUZZ_ITERATIONS) {
        return; // legal but too slow to fuzz (each costs up to seconds of PBKDF2)
      }
    }
    ScramClient client = new ScramClient(USER, PASSWORD, CLIENT_NONCE);
    String fin;
    try {
      fin = client.clientFinalMessage(s);
    } catch (ScramException e) {
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("clientFinalMessage threw " + e, e);
    }
    Matcher m = CLIENT_FINAL_SHAPE.matcher(fin);
    assertTrue(m.matches(), "malformed client-final " + fin);
    String nonce = m.group(1);
    assertTrue(nonce.startsWith(CLIENT_NONCE) && nonce.length() > CLIENT_NONCE.length(), nonce);
    assertTrue(s.startsWith("r=" + nonce + ","), "client used a nonce the server did not send");
    assertEquals(ScramLimits.HASH_BYTES, Base64.getDecoder().decode(m.group(2)).length);
  }

  @FuzzTest
  void serverFinal(byte[] data) {
    String s = text(data);
    try {
      WAITING_CLIENT.verifyServerFinal(s);
    } catch (ScramAuthenticationException e) {
      assertTrue(s.startsWith("e="), "authentication failure without e=: " + s);
      return;
    } catch (ScramException e) {
      // The size limit is checked before anything else, so an over-long e= is merely malformed.
      assertFalse(s.startsWith("e=") && s.getBytes(StandardCharsets.UTF_8).length <= ScramLimits.MAX_MESSAGE_BYTES,
          "e= should be an authentication failure");
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("verifyServerFinal threw " + e, e);
    }
    assertTrue(s.startsWith("v="), s);
    String sig = s.substring(2, s.indexOf(',') < 0 ? s.length() : s.indexOf(','));
    assertArrayEquals(Base64.getDecoder().decode(SERVER_FINAL.substring(2)), Base64.getDecoder().decode(sig),
        "accepted a server signature that is not the genuine one");
  }
}
