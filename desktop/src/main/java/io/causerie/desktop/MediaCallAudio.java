package io.causerie.desktop;

import io.causerie.client.CallInfo;
import io.causerie.client.media.AudioInput;
import io.causerie.client.media.AudioOutput;
import io.causerie.client.media.MediaConfig;
import io.causerie.client.media.MediaSession;
import io.causerie.client.media.QualitySnapshot;
import io.causerie.media.device.SoundDevices;
import io.causerie.transport.Clock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop's voice: a {@link MediaSession} per call on the chosen devices, with quality and "no
 * incoming audio" reported once a second. Devices are opened off the event thread; without a sound
 * device the call goes on silent (and says so in the log) rather than failing.
 */
public final class MediaCallAudio implements CallAudio {
  private static final Logger log = LoggerFactory.getLogger(MediaCallAudio.class);

  /** How often quality and incoming audio are reported. */
  static final long REPORT_INTERVAL_MILLIS = 1_000;

  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "causerie-call-audio");
    t.setDaemon(true);
    return t;
  });
  private final AudioInput fallbackInput;
  private final AudioOutput fallbackOutput;
  private MediaSession session; // worker thread only
  private ScheduledFuture<?> reporter; // worker thread only
  private long lastReceived; // worker thread only
  private volatile boolean muted;
  private final LevelTap micTap = new LevelTap();
  private final LevelTap speakerTap = new LevelTap();
  private final Levels levels = new Levels() {
    @Override
    public double inputDbfs() {
      return muted ? LevelMeter.FLOOR_DBFS : micTap.dbfs();
    }

    @Override
    public double outputDbfs() {
      return speakerTap.dbfs();
    }
  };

  public MediaCallAudio() {
    this(AudioInput.silence(), AudioOutput.none());
  }

  /** With what to use when the chosen devices cannot be opened (tests feed a tone here). */
  public MediaCallAudio(AudioInput fallbackInput, AudioOutput fallbackOutput) {
    this.fallbackInput = fallbackInput;
    this.fallbackOutput = fallbackOutput;
  }

  @Override
  public void start(CallInfo call, InetSocketAddress server, AudioSettings settings, Listener listener) {
    muted = false;
    worker.execute(() -> {
      closeSession();
      int cap = Math.max(MediaConfig.MIN_JITTER_CAP_MILLIS,
          Math.min(MediaConfig.MAX_JITTER_CAP_MILLIS, settings.jitterBufferCapMillis()));
      MediaConfig devices = MediaConfig.defaults().withJitterCapMillis(cap)
          .withInput(micTap.wrap(AudioInput.device(orDefault(settings.inputDevice()))))
          .withOutput(speakerTap.wrap(AudioOutput.device(orDefault(settings.outputDevice()))));
      InetSocketAddress media = new InetSocketAddress(server.getAddress(), call.mediaPort());
      InetAddress local = server.getAddress().isLoopbackAddress() ? server.getAddress() : null;
      String name = "desktop-" + call.idHex();
      try {
        session = MediaSession.start(name, MediaSession.wireFormat(call), call.keys(), media, local, null, devices,
            Clock.SYSTEM, call.mediaId());
      } catch (IOException | RuntimeException e) {
        log.warn("cannot open the audio devices ({}): the call goes on without sound", e.getMessage());
        try {
          session = MediaSession.start(name, MediaSession.wireFormat(call), call.keys(), media, local, null,
              devices.withInput(micTap.wrap(fallbackInput)).withOutput(speakerTap.wrap(fallbackOutput)),
              Clock.SYSTEM, call.mediaId());
        } catch (IOException | RuntimeException e2) {
          log.error("cannot start the call's media: {}", e2.getMessage());
          listener.incomingAudio(false);
          return;
        }
      }
      session.setMuted(muted);
      lastReceived = 0;
      reporter = worker.scheduleAtFixedRate(() -> report(listener), REPORT_INTERVAL_MILLIS, REPORT_INTERVAL_MILLIS,
          TimeUnit.MILLISECONDS);
    });
  }

  private static String orDefault(String device) {
    return device == null || device.isBlank() ? SoundDevices.DEFAULT : device;
  }

  private void report(Listener listener) {
    MediaSession s = session;
    if (s == null) {
      return;
    }
    QualitySnapshot q = s.quality();
    listener.incomingAudio(q.received() > lastReceived);
    lastReceived = q.received();
    long expected = q.received() + q.lost();
    double lossPct = expected == 0 ? Double.NaN : 100.0 * q.lost() / expected;
    listener.quality(new CallQuality(q.mos(), lossPct, q.jitterMillis(), q.rttMillis(), q.jitterBufferDelayMillis()));
  }

  @Override
  public void setMuted(boolean mute) {
    muted = mute;
    worker.execute(() -> {
      if (session != null) {
        session.setMuted(mute);
      }
    });
  }

  @Override
  public boolean muted() {
    return muted;
  }

  /** Levels of the frames sent and played, measured on the media threads as they pass. */
  @Override
  public Levels levels() {
    return levels;
  }

  @Override
  public void stop() {
    worker.execute(this::closeSession);
  }

  private void closeSession() {
    if (reporter != null) {
      reporter.cancel(false);
      reporter = null;
    }
    if (session != null) {
      session.close();
      session = null;
    }
    micTap.reset();
    speakerTap.reset();
  }
}
