package io.causerie.desktop;

import io.causerie.client.RecordingListener;
import io.causerie.client.ServerFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.causerie.client.CallInfo;
import io.causerie.client.SignallingClient;
import io.causerie.client.media.AudioInput;
import io.causerie.client.media.AudioOutput;
import io.causerie.client.media.MediaConfig;
import io.causerie.client.media.MediaSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desktop's voice path in a real call through a real server (no sound card needed). */
class MediaCallAudioTest {
  private static final Duration T = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void voiceFlowsAndQualityIsReported() throws Exception {
    try (ServerFixture fx = new ServerFixture(dir, "alice", "bob").start()) {
      RecordingListener a = new RecordingListener();
      RecordingListener b = new RecordingListener();
      SignallingClient alice = fx.connect("alice", a);
      SignallingClient bob = fx.connect("bob", b);
      alice.call("bob");
      b.await("incoming", T);
      bob.answer();
      CallInfo forAlice = a.await("call-started", T).call();
      CallInfo forBob = b.await("call-started", T).call();

      List<Boolean> flowing = new CopyOnWriteArrayList<>();
      List<CallQuality> quality = new CopyOnWriteArrayList<>();
      // No device by that name here: the desktop falls back to the tone, as a call without a microphone would to
      // silence.
      MediaCallAudio audio = new MediaCallAudio(AudioInput.tone(440), AudioOutput.none());
      audio.start(forAlice, fx.address(), new AudioSettings("no such microphone", "no such speaker", 200),
          new CallAudio.Listener() {
            @Override
            public void incomingAudio(boolean f) {
              flowing.add(f);
            }

            @Override
            public void quality(CallQuality q) {
              quality.add(q);
            }
          });
      try (MediaSession peer = MediaSession.start(bob, forBob, MediaConfig.defaults().withInput(AudioInput.tone(880)))) {
        long deadline = System.nanoTime() + T.toNanos();
        while (!(flowing.contains(true) && quality.stream().anyMatch(q -> q.mos() > 3))
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(flowing).contains(true);
        assertThat(quality).anySatisfy(q -> {
          assertThat(q.mos()).isGreaterThan(3.0);
          assertThat(q.jbDelayMs()).isBetween(0.0, 200.0);
        });
        assertThat(peer.quality().received()).isPositive(); // alice's tone reached bob
        // The meters: alice's 440 Hz tone at a quarter of full scale is about -15 dBFS; bob's tone plays.
        assertThat(audio.levels().inputDbfs()).isCloseTo(-15.05, within(1.0));
        assertThat(audio.levels().outputDbfs()).isGreaterThan(LevelMeter.FLOOR_DBFS);
        audio.setMuted(true);
        assertThat(audio.muted()).isTrue();
        assertThat(audio.levels().inputDbfs()).isEqualTo(LevelMeter.FLOOR_DBFS); // what bob hears: nothing
      } finally {
        audio.stop();
      }
      long deadline = System.nanoTime() + T.toNanos();
      while (audio.levels().outputDbfs() > LevelMeter.FLOOR_DBFS && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(audio.levels().outputDbfs()).isEqualTo(LevelMeter.FLOOR_DBFS); // the call is over
    }
  }
}
