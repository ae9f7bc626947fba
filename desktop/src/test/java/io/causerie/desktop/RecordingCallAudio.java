package io.causerie.desktop;

import io.causerie.client.CallInfo;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link CallAudio} that records what the app asks of it and lets a test play the voice path's reports. */
final class RecordingCallAudio implements CallAudio {
  final List<String> log = new CopyOnWriteArrayList<>();
  volatile boolean muted;
  volatile boolean started;
  volatile CallInfo call;
  volatile AudioSettings settings;
  private volatile Listener listener;
  /** The levels the fake voice path reports, in dBFS; a test sets them. */
  volatile double micDbfs = LevelMeter.FLOOR_DBFS;
  volatile double speakerDbfs = LevelMeter.FLOOR_DBFS;
  private final Levels levels = new Levels() {
    @Override
    public double inputDbfs() {
      return micDbfs;
    }

    @Override
    public double outputDbfs() {
      return speakerDbfs;
    }
  };

  @Override
  public Levels levels() {
    return levels;
  }

  @Override
  public void start(CallInfo c, InetSocketAddress server, AudioSettings s, Listener l) {
    call = c;
    settings = s;
    listener = l;
    started = true;
    muted = false;
    log.add("start " + c.peer() + " " + c.codec());
  }

  @Override
  public void setMuted(boolean m) {
    muted = m;
    log.add(m ? "mute" : "unmute");
  }

  @Override
  public boolean muted() {
    return muted;
  }

  @Override
  public void stop() {
    started = false;
    log.add("stop");
  }

  /** Reports as the voice path would, from a thread of its own. */
  void report(boolean flowing, CallQuality q) {
    Listener l = listener;
    Thread t = new Thread(() -> {
      l.incomingAudio(flowing);
      if (q != null) {
        l.quality(q);
      }
    }, "fake-voice");
    t.start();
  }
}
