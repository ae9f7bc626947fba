package io.causerie.client.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.causerie.media.codec.Codecs;
import io.causerie.media.codec.OpusCodec;
import io.causerie.media.quality.FecController;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Two ends of a call wired back to back on a fake clock: voice, reports, RTT and FEC control. */
class ReceivePathTest {
  private static final long MS = 1_000_000L;

  /** One end: its send and receive halves. */
  private static final class End {
    final SendPath send;
    final ReceivePath rx;

    End(String codec, int ssrc) {
      send = new SendPath(Codecs.byName(codec), ssrc, 100, 1000);
      rx = new ReceivePath(Codecs.byName(codec), MediaSession.jitterConfig(Codecs.byName(codec), 200),
          ssrc, new FecController());
    }
  }

  private final short[] pcm = new short[960];
  private final byte[] packet = new byte[1500];

  @Test
  void theRoundTripTimeComesFromLsrAndDlsr() {
    End a = new End("pcmu", 0xA);
    End b = new End("pcmu", 0xB);
    long t = 1_000 * MS;
    // A's voice reaches B 5 ms after it is sent, so B has a stream to report on.
    for (int i = 0; i < 10; i++, t += 20 * MS) {
      int len = a.send.packetize(pcm, 0, packet, t);
      assertThat(b.rx.onDatagram(packet, 0, len, t + 5 * MS)).isIn(ReceivePath.Outcome.VOICE,
          ReceivePath.Outcome.VOICE_DROPPED);
    }
    byte[] report = new byte[RtcpPackets.MAX_REPORT_BYTES];
    int len = a.rx.writeReport(a.send.senderReport(t), t, report, 0);
    assertThat(len).as("A has heard nothing: SR only").isEqualTo(SenderReport.BYTES);
    assertThat(b.rx.onDatagram(report, 0, len, t + 5 * MS)).isEqualTo(ReceivePath.Outcome.REPORT);
    // B answers 1.2 s later; A gets it 7 ms after that: RTT = 5 + 7 ms.
    long bSends = t + 1_205 * MS;
    len = b.rx.writeReport(b.send.senderReport(bSends), bSends, report, 0);
    assertThat(len).isEqualTo(RtcpPackets.MAX_REPORT_BYTES);
    assertThat(a.rx.onDatagram(report, 0, len, bSends + 7 * MS)).isEqualTo(ReceivePath.Outcome.REPORT);
    assertThat(a.rx.rttMillis()).isCloseTo(12.0, within(0.05));
    assertThat(a.rx.snapshot(10, false).rttMillis()).isCloseTo(12.0, within(0.05));
    assertThat(b.rx.rttMillis()).as("B has not had an RR yet").isNaN();
  }

  @Test
  void reportedLossTurnsFecOnInTheSendersOpusEncoder() {
    End a = new End("opus", 0xA);
    End b = new End("opus", 0xB);
    long t = 0;
    for (int i = 0; i < 50; i++, t += 20 * MS) {
      int len = a.send.packetize(pcm, 0, packet, t);
      if (i % 10 != 5) { // 10 % loss
        b.rx.onDatagram(packet, 0, len, t + MS);
      }
    }
    byte[] report = new byte[RtcpPackets.MAX_REPORT_BYTES];
    int len = b.rx.writeReport(b.send.senderReport(t), t, report, 0);
    assertThat(a.rx.onDatagram(report, 0, len, t + MS)).isEqualTo(ReceivePath.Outcome.REPORT);
    FecController.Decision d = a.rx.fecDecision();
    assertThat(d.fecEnabled()).isTrue();
    assertThat(d.expectedLossPercent()).isBetween(5, 25);
    assertThat(a.rx.snapshot(0, false).remoteLossPercent()).isCloseTo(10, within(2.0));

    OpusCodec encoder = (OpusCodec) a.send.codec();
    assertThat(encoder.expectedLossPercent()).isZero();
    a.send.requestFec(d);
    assertThat(encoder.expectedLossPercent()).as("applied only on the capture thread's next frame").isZero();
    a.send.packetize(pcm, 0, packet, t);
    assertThat(encoder.expectedLossPercent()).isEqualTo(d.expectedLossPercent());
    assertThat(encoder.fecEnabled()).isTrue();
    assertThat(encoder.bitrateBps()).as("FEC is paid for with a higher bitrate")
        .isEqualTo(d.bitrateBps()).isGreaterThan(FecController.BASE_BITRATE_BPS);
  }

  @Test
  void aCallStartsProtectedAndTheFirstCleanReportRelaxesIt() {
    End a = new End("opus", 0xA);
    End b = new End("opus", 0xB);
    a.send.configureRedundancy(true, RedundancyMode.AUTO, new int[] {2});
    a.send.requestFec(FecController.UNTIL_FIRST_REPORT); // what MediaSession does when a call starts
    long t = 0;
    for (int i = 0; i < 25; i++, t += 20 * MS) { // half a second, nothing lost
      int len = a.send.packetize(pcm, 0, packet, t);
      b.rx.onDatagram(packet, 0, len, t + MS);
    }
    OpusCodec encoder = (OpusCodec) a.send.codec();
    assertThat(encoder.fecEnabled()).as("protected before any report").isTrue();
    assertThat(a.send.redundancySending()).isTrue();

    byte[] report = new byte[RtcpPackets.MAX_REPORT_BYTES];
    int len = b.rx.writeReport(b.send.senderReport(t), t, report, 0);
    assertThat(a.rx.onDatagram(report, 0, len, t + MS)).isEqualTo(ReceivePath.Outcome.REPORT);
    a.send.requestFec(a.rx.fecDecision());
    a.send.packetize(pcm, 0, packet, t += 20 * MS);
    assertThat(encoder.fecEnabled()).as("the first report said clean").isFalse();
    assertThat(encoder.bitrateBps()).isEqualTo(FecController.BASE_BITRATE_BPS);
    assertThat(a.send.redundancySending()).isFalse();
  }

  @Test
  void aReportAboutSomeoneElsesStreamIsIgnored() {
    End a = new End("pcmu", 0xA);
    End c = new End("pcmu", 0xC);
    long t = 0;
    for (int i = 0; i < 50; i++, t += 20 * MS) {
      int len = c.send.packetize(pcm, 0, packet, t);
      if (i % 2 == 0) {
        a.rx.onDatagram(packet, 0, len, t); // A hears C with 50 % loss, reports on C's SSRC
      }
    }
    End other = new End("pcmu", 0xB);
    byte[] report = new byte[RtcpPackets.MAX_REPORT_BYTES];
    int len = a.rx.writeReport(a.send.senderReport(t), t, report, 0);
    other.rx.onDatagram(report, 0, len, t);
    assertThat(other.rx.fecDecision().fecEnabled()).isFalse();
    assertThat(other.rx.snapshot(0, false).remoteLossPercent()).isNaN();
  }

  @Test
  void garbageIsCountedAndDropped() {
    End a = new End("pcma", 0xA);
    assertThat(a.rx.onDatagram(new byte[] {1, 2, 3}, 0, 3, 0)).isEqualTo(ReceivePath.Outcome.DROPPED);
    byte[] badRtcp = new byte[12];
    badRtcp[0] = (byte) 0x80;
    badRtcp[1] = (byte) 201;
    badRtcp[3] = 99;
    assertThat(a.rx.onDatagram(badRtcp, 0, 12, 0)).isEqualTo(ReceivePath.Outcome.DROPPED);
    byte[] shortRtp = Arrays.copyOf(new byte[] {(byte) 0x80, 8}, 6);
    assertThat(a.rx.onDatagram(shortRtp, 0, 6, 0)).isEqualTo(ReceivePath.Outcome.VOICE_DROPPED);
    assertThat(a.rx.otherDatagrams()).isEqualTo(1);
    assertThat(a.rx.malformedReports()).isEqualTo(1);
    assertThat(a.rx.voiceReceiver().malformedPackets()).isEqualTo(1);
  }

  @Test
  void aCleanCallScoresWellAndCountsWhatItSees() {
    End a = new End("pcma", 0xA);
    End b = new End("pcma", 0xB);
    short[] out = new short[960];
    long t = 0;
    for (int i = 0; i < 100; i++, t += 20 * MS) {
      int len = a.send.packetize(pcm, 0, packet, t);
      b.rx.onDatagram(packet, 0, len, t + MS);
      b.rx.playout(t + 2 * MS, out, 0);
    }
    QualitySnapshot q = b.rx.snapshot(b.send.packetsSent(), false);
    assertThat(q.codec()).isEqualTo("pcma");
    assertThat(q.received()).as("RFC 3550 A.1: the first packet is on probation").isEqualTo(99);
    assertThat(q.lost()).isZero();
    assertThat(q.concealed()).isZero();
    assertThat(q.jitterMillis()).isCloseTo(0, within(0.01));
    assertThat(q.mos()).isGreaterThan(4.3);
    assertThat(a.send.packetsSent()).isEqualTo(100);
    // One frame waits when its turn comes: 40 ms during the warm-up, 20 ms after; smoothed over ~1 s.
    assertThat(q.jitterBufferDelayMillis()).as("smoothed").isBetween(20, 30);
    // Once the peer stops, the buffer drains; the summary still shows the call's delay.
    for (int i = 0; i < 10; i++, t += 20 * MS) {
      b.rx.playout(t + 2 * MS, out, 0);
    }
    assertThat(b.rx.voiceReceiver().jitterBuffer().bufferedDelayMillis()).isZero();
    assertThat(b.rx.summary(0, false).jitterBufferDelayMillis()).isBetween(20, 40);
  }

  @Test
  void framesASenderSkippedAreConcealedInPlaceNotWaitedFor() {
    End a = new End("pcmu", 0xA);
    End b = new End("pcmu", 0xB);
    short[] out = new short[960];
    long t = 0;
    int frame = 0;
    for (; frame < 60; frame++, t += 20 * MS) {
      int len = a.send.packetize(pcm, 0, packet, t);
      b.rx.onDatagram(packet, 0, len, t + MS);
      b.rx.playout(t + 2 * MS, out, 0);
    }
    int delayBefore = b.rx.voiceReceiver().jitterBuffer().bufferedDelayMillis();
    // The sender stalls for 200 ms: ten frames are given up, not sent late.
    for (int i = 0; i < 10; i++, frame++, t += 20 * MS) {
      a.send.skip();
      b.rx.playout(t + 2 * MS, out, 0);
    }
    for (; frame < 120; frame++, t += 20 * MS) {
      int len = a.send.packetize(pcm, 0, packet, t);
      b.rx.onDatagram(packet, 0, len, t + MS);
      b.rx.playout(t + 2 * MS, out, 0);
    }
    QualitySnapshot q = b.rx.snapshot(0, false);
    assertThat(a.send.framesSkipped()).isEqualTo(10);
    assertThat(q.lost()).as("skipped frames count as lost").isEqualTo(10);
    assertThat(b.rx.voiceReceiver().jitterBuffer().bufferedDelayMillis()).as("no delay added")
        .isEqualTo(delayBefore);
    assertThat(q.late()).isZero();
  }

  @Test
  void opusGetsATwoFrameJitterFloorForFec() {
    assertThat(MediaSession.jitterConfig(Codecs.byName("opus"), 200).minDelayMillis()).isEqualTo(40);
    assertThat(MediaSession.jitterConfig(Codecs.byName("pcmu"), 200).minDelayMillis()).isEqualTo(20);
    assertThat(MediaSession.jitterConfig(Codecs.byName("opus"), 60).maxDelayMillis()).isEqualTo(60);
  }
}
