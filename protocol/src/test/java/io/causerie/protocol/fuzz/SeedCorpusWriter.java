package io.causerie.protocol.fuzz;

import io.causerie.protocol.EndReason;
import io.causerie.protocol.ErrorCode;
import io.causerie.protocol.Message;
import io.causerie.protocol.MessageCodec;
import io.causerie.protocol.Octets;
import io.causerie.protocol.PresenceEntry;
import io.causerie.protocol.PresenceState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed corpora of this module's fuzz tests (valid encodings of every message type, a genuine SCRAM
 * exchange) into src/test/resources. Not part of the normal test run (the class name matches no surefire include);
 * run once after changing the seeds:
 *
 * <pre>mvn -B -o -pl protocol test -Dtest=SeedCorpusWriter -Dcauserie.fuzz.writeSeeds=true</pre>
 *
 * The targets read these with Jazzer in regression mode.
 */
@EnabledIfSystemProperty(named = "causerie.fuzz.writeSeeds", matches = "true")
class SeedCorpusWriter {
  private static final Path RESOURCES = Path.of("src/test/resources/io/causerie/protocol/fuzz");

  private static void write(String test, String method, String name, byte[] bytes) throws IOException {
    Path dir = RESOURCES.resolve(test + "Inputs").resolve(method);
    Files.createDirectories(dir);
    Files.write(dir.resolve("seed-" + name), bytes);
  }

  private static void write(String test, String method, String name, String text) throws IOException {
    write(test, method, name, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void messageCodec() throws IOException {
    long tx = 0x0123456789ABCDEFL;
    long s = 0x1122334455667788L;
    Octets key = Octets.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    List<Message> all = List.of(
        new Message.AuthStart(tx, 0, "n,,n=alice,r=rOprNGfwEbeRWgbNEkqO", 0, 0),
        new Message.AuthFinish(tx, 0, 42, "c=biws,r=nonce,p=dHpbdWdzSGVyZQ=="),
        new Message.Logout(tx, s),
        new Message.Keepalive(tx, s, 1_700_000_000_000L),
        new Message.Call(tx, s, "bob", List.of("opus", "pcmu", "pcma"), key),
        new Message.Accept(tx, s, 7, "opus", key),
        new Message.Refuse(tx, s, 7),
        new Message.Cancel(tx, s, 7),
        new Message.Hangup(tx, s, 7),
        new Message.Who(tx, s),
        new Message.CallQuality(tx, s, 7, 12, 345, 678, 410),
        new Message.CallKey(tx, s, 7, key),
        new Message.Presence(tx, s, 99, true, true, List.of(
            new PresenceEntry("alice", PresenceState.ONLINE), new PresenceEntry("bob", PresenceState.IN_CALL),
            new PresenceEntry("carol", PresenceState.OFFLINE))),
        new Message.Incoming(tx, s, 7, "alice", List.of("opus", "pcma"), key),
        new Message.Ringing(tx, s, 7),
        new Message.CallStarted(tx, s, 7, "bob", "opus", 40000, true, key),
        new Message.CallEnded(tx, s, 7, EndReason.NO_ANSWER),
        new Message.PeerKey(tx, s, 7, key),
        new Message.Ok(tx, s),
        new Message.Error(tx, s, ErrorCode.AUTH_FAILED, "wrong user name or password"),
        new Message.AuthChallenge(tx, 0, 42, "r=nonce,s=c2FsdA==,i=4096"),
        new Message.AuthOk(tx, s, "v=c2lnbmF0dXJl", 40000, 15, 60),
        new Message.CallProceeding(tx, s, 7));
    for (Message m : all) {
      write("MessageCodecFuzzTest", "decode", m.type().name().toLowerCase(java.util.Locale.ROOT),
          MessageCodec.encode(m));
    }
    // A few edge shapes: empty strings and keys, unicode names, the largest presence.
    write("MessageCodecFuzzTest", "decode", "call-nokey",
        MessageCodec.encode(new Message.Call(tx, s, "zoë", List.of())));
    write("MessageCodecFuzzTest", "decode", "error-empty",
        MessageCodec.encode(new Message.Error(tx, s, ErrorCode.INTERNAL, "")));
    write("MessageCodecFuzzTest", "decode", "presence-empty",
        MessageCodec.encode(new Message.Presence(tx, s, 1, false, false, List.of())));
  }

  @Test
  void scram() throws IOException {
    String t = "ScramFuzzTest";
    write(t, "clientFirst", "genuine", ScramFuzzTest.CLIENT_FIRST);
    write(t, "clientFirst", "escaped", "n,,n=a=2Cb=3Dc,r=abcdef");
    write(t, "clientFirst", "extension", "n,,n=bob,r=xyz,e=ext");
    write(t, "clientFirst", "channel-binding", "p=tls-unique,,n=bob,r=xyz");
    write(t, "clientFinal", "genuine", ScramFuzzTest.CLIENT_FINAL);
    write(t, "clientFinal", "wrong-proof",
        ScramFuzzTest.CLIENT_FINAL.substring(0, ScramFuzzTest.CLIENT_FINAL.lastIndexOf(",p=") + 3)
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    write(t, "clientFinal", "extension", "c=biws,r=x,e=1,p=AAAA");
    write(t, "serverFirst", "genuine", ScramFuzzTest.SERVER_FIRST);
    write(t, "serverFirst", "extension", ScramFuzzTest.SERVER_FIRST + ",x=1");
    write(t, "serverFirst", "too-few-iterations", "r=" + ScramFuzzTest.CLIENT_NONCE + "x,s=c2FsdA==,i=4095");
    write(t, "serverFinal", "genuine", ScramFuzzTest.SERVER_FINAL);
    write(t, "serverFinal", "error", "e=invalid-proof");
    write(t, "serverFinal", "wrong", "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  }
}
