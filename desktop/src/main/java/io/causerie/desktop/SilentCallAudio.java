package io.causerie.desktop;

import io.causerie.client.CallInfo;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stand-in {@link CallAudio} until the voice integration lands: no sound, but it remembers the mute state
 * and reports nothing, so the call screen shows "—" for quality and no audio warning.
 */
public final class SilentCallAudio implements CallAudio {
  private static final Logger log = LoggerFactory.getLogger(SilentCallAudio.class);

  private boolean muted;
  private boolean started;

  @Override
  public void start(CallInfo call, InetSocketAddress server, AudioSettings settings, Listener listener) {
    started = true;
    muted = false;
    log.info("call with {} started ({}); this build has no voice path yet", call.peer(), call.codec());
  }

  @Override
  public void setMuted(boolean m) {
    muted = m;
  }

  @Override
  public boolean muted() {
    return muted;
  }

  @Override
  public void stop() {
    started = false;
    muted = false;
  }

  /** Whether a call is in progress, for tests. */
  public boolean started() {
    return started;
  }
}
