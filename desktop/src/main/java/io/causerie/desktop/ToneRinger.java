package io.causerie.desktop;

import java.util.function.Supplier;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays {@link RingTone} on an output device with {@code javax.sound.sampled}, on a thread of its own. Without
 * an output device it rings silently and says so once in the log.
 */
public final class ToneRinger implements Ringer {
  private static final Logger log = LoggerFactory.getLogger(ToneRinger.class);
  private static final AudioFormat FORMAT = new AudioFormat(RingTone.SAMPLE_RATE_HZ, 16, 1, true, false);

  private final Supplier<String> outputDevice;
  /** The thread playing now, or null. Event thread only. */
  private Thread player;
  private volatile boolean warned;

  /** @param outputDevice the mixer to ring on (null: the system default), asked at each ring */
  public ToneRinger(Supplier<String> outputDevice) {
    this.outputDevice = outputDevice;
  }

  @Override
  public void start() {
    if (player != null) {
      return;
    }
    String device = outputDevice.get();
    Thread t = new Thread(() -> play(device), "causerie-ringer");
    t.setDaemon(true);
    player = t;
    t.start();
  }

  @Override
  public void stop() {
    Thread t = player;
    player = null;
    if (t != null) {
      t.interrupt();
    }
  }

  private void play(String device) {
    byte[] cadence = RingTone.cadence(RingTone.SAMPLE_RATE_HZ);
    SourceDataLine line;
    try {
      line = open(device);
    } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
      if (!warned) {
        warned = true;
        log.info("no audio output for the ring tone ({}); ringing silently", e.getMessage());
      }
      return;
    }
    try {
      line.start();
      int chunk = RingTone.SAMPLE_RATE_HZ / 10 * 2; // 100 ms, so that stop() is heard within 100 ms
      while (!Thread.currentThread().isInterrupted()) {
        for (int at = 0; at < cadence.length && !Thread.currentThread().isInterrupted(); at += chunk) {
          line.write(cadence, at, Math.min(chunk, cadence.length - at));
        }
      }
      line.flush();
    } finally {
      line.stop();
      line.close();
    }
  }

  private static SourceDataLine open(String device) throws LineUnavailableException {
    DataLine.Info info = new DataLine.Info(SourceDataLine.class, FORMAT);
    SourceDataLine line = null;
    if (device != null) {
      for (Mixer.Info mi : AudioSystem.getMixerInfo()) {
        if (mi.getName().equals(device) && AudioSystem.getMixer(mi).isLineSupported(info)) {
          line = (SourceDataLine) AudioSystem.getMixer(mi).getLine(info);
          break;
        }
      }
    }
    if (line == null) {
      line = (SourceDataLine) AudioSystem.getLine(info);
    }
    line.open(FORMAT, RingTone.SAMPLE_RATE_HZ / 5 * 2); // 200 ms of buffer
    return line;
  }
}
