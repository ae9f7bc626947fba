package io.causerie.desktop;

import io.causerie.client.CallInfo;
import java.net.InetSocketAddress;

/**
 * The voice side of a call, as the desktop app drives it; the voice integration implements it on top of the
 * media module. Until then {@link SilentCallAudio} stands in.
 *
 * <p>Threading: the app calls every method on the Swing event thread, so none may block (start threads, open
 * devices asynchronously). The {@link Listener} may be called from any thread.
 */
public interface CallAudio {
  /**
   * A call has started: open the devices, send our voice to the server's media port for this client
   * ({@code server}'s host, port {@link CallInfo#mediaPort()}) with {@link CallInfo#codec()}, and play what
   * arrives. A call starts unmuted.
   *
   * @param call the call as the client reported it
   * @param server the server's signalling address (its host is the media host)
   * @param settings the user's devices and jitter-buffer cap
   * @param listener where to report incoming audio and quality
   */
  void start(CallInfo call, InetSocketAddress server, AudioSettings settings, Listener listener);

  /** Mutes or unmutes the microphone of the current call. */
  void setMuted(boolean muted);

  boolean muted();

  /** The call is over: stop sending and playing, release the devices. Does nothing when not started. */
  void stop();

  /**
   * The microphone and speaker levels of the current call, for the in-call meters; the event thread polls them
   * (about every 100 ms), so they must return at once. The default reports silence.
   */
  default Levels levels() {
    return Levels.SILENT;
  }

  /** The latest audio levels; any thread may ask, none waits. */
  interface Levels {
    /** Always silence (no voice path, or no call). */
    Levels SILENT = new Levels() {
      @Override
      public double inputDbfs() {
        return LevelMeter.FLOOR_DBFS;
      }

      @Override
      public double outputDbfs() {
        return LevelMeter.FLOOR_DBFS;
      }
    };

    /** The RMS level of the last frame sent (what the peer hears: silence while muted), in dBFS. */
    double inputDbfs();

    /** The RMS level of the last frame played, in dBFS. */
    double outputDbfs();
  }

  /** What the voice path reports back; may be called from any thread. */
  interface Listener {
    /** Whether the peer's voice arrives (false after about a second without packets). */
    void incomingAudio(boolean flowing);

    /** A quality report, about once a second. */
    void quality(CallQuality quality);
  }
}
