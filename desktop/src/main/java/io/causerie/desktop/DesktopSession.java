package io.causerie.desktop;

import io.causerie.client.CallInfo;
import io.causerie.client.SignallingClient;
import java.util.List;
import java.util.function.LongSupplier;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sign-in, from the login button to sign-out: the Swing adapter around a {@link SignallingClient} and a
 * {@link MainModel}. Feeds client events and the user's intents to the model and carries out its
 * {@link Effect}s (client requests, ring tone, voice path, window). Event thread only, except where noted.
 */
final class DesktopSession {
  private static final Logger log = LoggerFactory.getLogger(DesktopSession.class);

  /** How long an informational notice stays before it goes by itself. */
  static final int INFO_NOTICE_MILLIS = 8_000;
  /** How often the call's elapsed time is redrawn. */
  static final int TICK_MILLIS = 250;

  /** What the session asks of the app window. */
  interface Host {
    void render(DesktopSession s);

    void tick(DesktopSession s);

    void bringToFront();

    void signedOut(DesktopSession s, String reason);
  }

  final String serverText;
  final String user;
  final char[] password;
  final MainModel model;
  private final Host host;
  private final CallAudio audio;
  private final Ringer ringer;
  private final LongSupplier clock;
  private final Timer ticker;
  private Settings settings;
  /** Set by the sign-in thread once the client exists, before it signs in; null before. */
  private volatile SignallingClient client;
  /** The host:port the server address resolved to, for error messages. Event thread only. */
  String resolved;
  private boolean closed;
  private boolean audioStarted;
  private long lastNoticeTimed;
  private long audioCall;

  DesktopSession(String serverText, String user, char[] password, Settings settings, Host host, CallAudio audio,
      Ringer ringer, LongSupplier clock) {
    this.serverText = serverText;
    this.user = user;
    this.password = password;
    this.settings = settings;
    this.host = host;
    this.audio = audio;
    this.ringer = ringer;
    this.clock = clock;
    this.model = new MainModel(user, serverText);
    this.ticker = new Timer(TICK_MILLIS, e -> host.tick(this));
  }

  void attach(SignallingClient c) {
    client = c;
  }

  SignallingClient client() {
    return client;
  }

  Settings settings() {
    return settings;
  }

  void settings(Settings s) {
    settings = s;
  }

  boolean closed() {
    return closed;
  }

  long now() {
    return clock.getAsLong();
  }

  // ------------------------------------------------------------------ inputs

  /** A client event, already on the event thread. */
  void onClientEvent(ClientEvent e) {
    if (closed) {
      return;
    }
    log.debug("event {}", e);
    run(model.on(e, now()));
  }

  void call(String peer) {
    run(model.dial(peer, now()));
  }

  void accept() {
    run(model.accept());
  }

  void refuse() {
    run(model.refuse());
  }

  void hangup() {
    run(model.hangup());
  }

  void toggleMute() {
    run(model.toggleMute());
  }

  void filter(String text) {
    model.filter(text);
    host.render(this);
  }

  void dismissNotice(long id) {
    model.dismissNotice(id);
    host.render(this);
  }

  // ------------------------------------------------------------------ effects

  private void run(List<Effect> effects) {
    if (closed) {
      return;
    }
    for (Effect fx : effects) {
      perform(fx);
    }
    MainState s = model.state();
    if (s.call() != null && !ticker.isRunning()) {
      ticker.start();
    } else if (s.call() == null && ticker.isRunning()) {
      ticker.stop();
    }
    if (s.notice() != null && s.notice().level() == Notice.Level.INFO && s.notice().id() != lastNoticeTimed) {
      long id = s.notice().id();
      lastNoticeTimed = id;
      Timer t = new Timer(INFO_NOTICE_MILLIS, e -> {
        if (!closed) {
          dismissNotice(id);
        }
      });
      t.setRepeats(false);
      t.start();
    }
    host.render(this);
  }

  private void perform(Effect fx) {
    SignallingClient c = client;
    if (fx instanceof Effect.PlaceCall p) {
      c.call(p.peer());
    } else if (fx instanceof Effect.Answer) {
      c.answer();
    } else if (fx instanceof Effect.Refuse) {
      c.refuse();
    } else if (fx instanceof Effect.Hangup) {
      c.hangup();
    } else if (fx instanceof Effect.StartRinging) {
      ringer.start();
    } else if (fx instanceof Effect.StopRinging) {
      ringer.stop();
    } else if (fx instanceof Effect.BringToFront) {
      host.bringToFront();
    } else if (fx instanceof Effect.StartAudio a) {
      startAudio(a.call());
    } else if (fx instanceof Effect.StopAudio) {
      stopAudio();
    } else if (fx instanceof Effect.SetMuted m) {
      audio.setMuted(m.muted());
    } else if (fx instanceof Effect.SignedOut s) {
      host.signedOut(this, s.reason());
    }
  }

  private void startAudio(CallInfo call) {
    stopAudio();
    long id = call.callId();
    audioCall = id;
    audioStarted = true;
    audio.start(call, client.server(), settings.audio(), new CallAudio.Listener() {
      @Override
      public void incomingAudio(boolean flowing) {
        SwingUtilities.invokeLater(() -> {
          if (!closed && audioStarted && audioCall == id) {
            model.incomingAudio(flowing);
            host.render(DesktopSession.this);
          }
        });
      }

      @Override
      public void quality(CallQuality q) {
        SwingUtilities.invokeLater(() -> {
          if (!closed && audioStarted && audioCall == id) {
            lastQuality = q;
            model.quality(q);
            host.render(DesktopSession.this);
          }
        });
      }
    });
  }

  private void stopAudio() {
    if (audioStarted) {
      audioStarted = false;
      audio.stop();
      // Tell the server how the call sounded here, for its history and metrics (best effort, no waiting).
      SignallingClient c = client;
      CallQuality q = lastQuality;
      if (c != null && q != null) {
        c.reportQuality(audioCall, q.lossPct(), q.jitterMs(), q.rttMs(), q.mos());
      }
      lastQuality = null;
    }
  }

  /** The last quality the voice path reported for the current call; event thread only. */
  private CallQuality lastQuality;

  /**
   * Ends the session on the screen: sound off, voice off, timers off. The client itself is closed by the app off
   * the event thread, since signing out waits for the server.
   */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticker.stop();
    ringer.stop();
    stopAudio();
  }
}
