package io.causerie.client.media;

import io.causerie.client.CallInfo;
import io.causerie.client.ClientConfig;
import io.causerie.client.SignallingClient;
import io.causerie.media.audio.FrameSink;
import io.causerie.media.audio.FrameSource;
import io.causerie.media.audio.PipelineFormat;
import io.causerie.media.audio.Silence;
import io.causerie.media.codec.AudioCodec;
import io.causerie.media.codec.Codecs;
import io.causerie.media.crypto.CallKeys;
import io.causerie.media.crypto.SrtpContext;
import io.causerie.media.jitter.JitterBufferConfig;
import io.causerie.media.quality.FecController;
import io.causerie.transport.Clock;
import io.causerie.transport.EventLoop;
import io.causerie.transport.UdpEndpoint;
import io.causerie.transport.impair.Impairment;
import io.causerie.transport.impair.ImpairmentSpec;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The voice of one call, from CALL_STARTED to its end: captures, encodes and sends 20 ms RTP frames
 * to the server's media port for this client, plays what the relay forwards from the peer, and
 * exchanges quality reports with the peer through the relay (docs/VOICE.md).
 *
 * <p>Threads, each owning its part:
 *
 * <ul>
 *   <li>the <b>capture</b> thread, paced by {@link FramePacer} every 20 ms on the monotonic clock:
 *       source → {@link SendPath} → socket; it owns the source and the encoder;
 *   <li>the <b>playout</b> thread, paced the same way: {@link ReceivePath} (jitter buffer, decoder,
 *       FEC, concealment) → sink; it owns the sink;
 *   <li>the <b>media event loop</b>: owns the receiving socket, stamps each datagram's arrival time,
 *       applies {@code --impair}, and sends a report every {@link MediaConfig#reportInterval()}.
 * </ul>
 *
 * The {@link ReceivePath} is guarded by its own monitor (network, playout and report paths take it
 * briefly); the FEC decision reaches the encoder through {@link SendPath#requestFec}.
 *
 * <p>Sockets. Default layout: one UDP socket bound to the signalling IP on any port sends to and
 * receives from the server's media port, so the relay latches it from the first packet, sent at
 * once. Legacy layout ({@link ClientConfig#legacyPorts()}): sends from the signalling client's port
 * 5000 socket and receives on a socket bound to 5001. Only datagrams from the server's media port
 * are accepted.
 *
 * <p>Encryption. Everything on the socket is SRTP or SRTCP with AEAD_AES_128_GCM (RFC 7714) under the call's
 * end-to-end keys ({@link CallKeys}, agreed by the two clients through the signalling; the relay never holds
 * them): the capture thread and the report task protect what they send (the send context is guarded by
 * itself), the media loop unprotects what arrives and drops, counting, what fails authentication, repeats or
 * is too old (docs/PROTOCOL.md §8.6).
 */
public final class MediaSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MediaSession.class);

  /** Frame period of capture and playout. */
  public static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(PipelineFormat.FRAME_MILLIS);

  /**
   * Frames a late capture loop still sends, as a burst (100 ms: the receiver's jitter buffer sheds
   * the short delay that adds); frames it was later for are given up (see {@link SendPath#skip}),
   * so a long stall of the sender costs lost audio, never a lasting added delay.
   */
  public static final int CAPTURE_BACKLOG_FRAMES = 5;

  /** Source frames read and discarded for skipped frames, at most (10 s; beyond, the file lags). */
  public static final int MAX_SKIPPED_SOURCE_FRAMES = 500;

  /**
   * Frames a late playout loop still plays (200 ms, the default jitter cap); beyond, the jitter
   * buffer sheds the excess delay itself.
   */
  public static final int PLAYOUT_BACKLOG_FRAMES = 10;

  /** Delay of the first report: early, so a lossy path gets FEC within the first second. */
  public static final long FIRST_REPORT_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /**
   * Jitter-buffer floor with an FEC codec: two frames keep the packet after a lost one buffered in
   * time to rebuild it; G.711 keeps the default single frame.
   */
  public static final int FEC_MIN_DELAY_MILLIS = 40;

  /** Largest media datagram handled, decrypted. */
  static final int RECEIVE_BUFFER_BYTES = 2048;

  /**
   * First RTP sequence numbers are drawn below this, so that the receiver's first guess of the SRTP rollover
   * counter (0) holds even if the first packets are lost (RFC 3711 §3.3.1).
   */
  static final int INITIAL_SEQUENCE_BOUND = 1 << 15;

  private final String name;
  private final String codecName;
  private final Clock clock;
  private final InetSocketAddress serverMedia;
  private final EventLoop loop;
  private final UdpEndpoint receiveEndpoint;
  private final UdpEndpoint sendEndpoint;
  private final SendPath send;
  private final ReceivePath rx; // guarded by itself
  private final ReportScheduler reports;
  private final SrtpContext srtpOut; // guarded by itself: capture thread (RTP) and media loop (RTCP)
  private final SrtpContext srtpIn; // media loop only
  private final byte[] plain = new byte[RECEIVE_BUFFER_BYTES]; // media loop only
  private final Impairment<byte[]> impairIn; // loop thread only
  private final Impairment<byte[]> impairOut; // guarded by itself
  private final Runnable flushOutTask = this::flushOutgoing;
  private final Runnable flushOutTimer = this::flushOutgoingOnTimer;
  private final Runnable reportTask = this::reportTick;
  private final byte[] reportBuffer = new byte[RtcpPackets.MAX_REPORT_BYTES]; // loop thread
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicLong foreignDatagrams = new AtomicLong();
  private final Thread captureThread;
  private final Thread playoutThread;
  private FrameSource source; // capture thread after start
  private FrameSink sink; // playout thread after start
  private final Object closeSource;
  private final Object closeSink;
  private long inArmedAt = Long.MAX_VALUE; // loop thread
  private long outArmedAt = Long.MAX_VALUE; // loop thread
  private volatile boolean running = true;
  private volatile boolean muted;
  private volatile QualitySnapshot finalSnapshot;

  /** The media format a started call runs: its codec, with {@code +red} when it negotiated redundancy (RFC 2198). */
  public static String wireFormat(CallInfo call) {
    return call.redundancy() ? call.codec() + Codecs.REDUNDANCY_SUFFIX : call.codec();
  }

  /**
   * Starts the media of {@code call} for {@code client}: the server is the client's server, the
   * layout the client's (call on CALL_STARTED, e.g. from {@code onCallStarted}).
   */
  public static MediaSession start(SignallingClient client, CallInfo call, MediaConfig config)
      throws IOException {
    InetSocketAddress serverMedia = new InetSocketAddress(client.server().getAddress(),
        call.mediaPort());
    if (call.keys() == null) {
      throw new IllegalStateException("call " + call.idHex() + " has no end-to-end keys yet");
    }
    String format = wireFormat(call);
    return start(client.user() + "-" + call.idHex(), format, call.keys(), serverMedia,
        client.localAddress().getAddress(), client.legacySendEndpoint(), config, Clock.SYSTEM, call.mediaId());
  }

  /**
   * Starts a media session.
   *
   * @param name for thread names and logs
   * @param codecName the negotiated codec ("opus+red": Opus, with redundant copies as {@code config} says)
   * @param keys the call's end-to-end keys ({@link CallInfo#keys()})
   * @param serverMedia the server's media port for this client
   * @param localIp the IP to bind the media socket to (the signalling socket's)
   * @param legacySend null for the default layout; in the legacy layout the port-5000 socket to
   *     send from (voice is then received on port 5001 of {@code localIp})
   */
  public static MediaSession start(String name, String codecName, CallKeys keys, InetSocketAddress serverMedia,
      InetAddress localIp, UdpEndpoint legacySend, MediaConfig config, Clock clock)
      throws IOException {
    return start(name, codecName, keys, serverMedia, localIp, legacySend, config, clock, 0);
  }

  /**
   * Starts a media session that sends with the SSRC the server assigned ({@link CallInfo#mediaId()}): a server
   * relaying every call on one port tells the calls apart by it. {@code ssrc} 0 picks a random one.
   */
  public static MediaSession start(String name, String codecName, CallKeys keys, InetSocketAddress serverMedia,
      InetAddress localIp, UdpEndpoint legacySend, MediaConfig config, Clock clock, int ssrc)
      throws IOException {
    java.util.Objects.requireNonNull(keys, "keys");
    FrameSource source = config.input().open();
    FrameSink sink;
    try {
      sink = config.output().open();
    } catch (IOException | RuntimeException e) {
      closeQuietly(source);
      throw e;
    }
    try {
      return new MediaSession(name, codecName, keys, serverMedia, localIp, legacySend, config, clock,
          source, sink, ssrc);
    } catch (IOException | RuntimeException e) {
      closeQuietly(source);
      closeQuietly(sink);
      throw e;
    }
  }

  private MediaSession(String name, String codecName, CallKeys keys, InetSocketAddress serverMedia,
      InetAddress localIp, UdpEndpoint legacySend, MediaConfig config, Clock clock,
      FrameSource source, FrameSink sink, int assignedSsrc) throws IOException {
    this.name = name;
    this.srtpOut = new SrtpContext(keys.send());
    this.srtpIn = new SrtpContext(keys.receive());
    this.clock = clock;
    this.serverMedia = serverMedia;
    this.source = PipelineSource.of(source);
    this.sink = PipelineSink.of(sink);
    this.closeSource = this.source;
    this.closeSink = this.sink;
    AudioCodec sendCodec = Codecs.byName(codecName);
    AudioCodec receiveCodec = Codecs.byName(codecName);
    this.codecName = sendCodec.name();
    SecureRandom random = new SecureRandom();
    int ssrc = assignedSsrc != 0 ? assignedSsrc : random.nextInt();
    this.send = new SendPath(sendCodec, ssrc, random.nextInt(INITIAL_SEQUENCE_BOUND),
        random.nextInt() & 0xFFFF_FFFFL);
    send.configureRedundancy(Codecs.hasRedundancy(codecName) && Codecs.supportsRedundancy(this.codecName),
        config.redundancy(), config.redundancyDistanceArray());
    send.requestFec(FecController.UNTIL_FIRST_REPORT); // protected until the peer's first report says otherwise
    this.rx = new ReceivePath(receiveCodec, jitterConfig(receiveCodec, config.jitterCapMillis()),
        ssrc, new FecController());
    ImpairmentSpec spec = config.impairment();
    boolean impair = !spec.isNone();
    this.impairIn = impair && config.impairDirection().incoming()
        ? new Impairment<>(spec, 0, Impairment.MAX_PENDING_DATAGRAMS) : null;
    this.impairOut = impair && config.impairDirection().outgoing()
        ? new Impairment<>(spec, 1, Impairment.MAX_PENDING_DATAGRAMS) : null;

    long start = clock.nanoTime();
    this.reports = new ReportScheduler(start, FIRST_REPORT_DELAY_NANOS,
        config.reportInterval().toNanos());
    this.loop = new EventLoop("causerie-media-" + name, clock).start();
    try {
      InetSocketAddress bind = new InetSocketAddress(localIp,
          legacySend != null ? ClientConfig.LEGACY_MEDIA_PORT : 0);
      this.receiveEndpoint = loop.bind(bind, this::onDatagram);
    } catch (IOException e) {
      loop.close();
      throw new IOException("cannot open the media socket: " + e.getMessage(), e);
    }
    this.sendEndpoint = legacySend != null ? legacySend : receiveEndpoint;
    this.captureThread = new Thread(this::captureLoop, "causerie-capture-" + name);
    this.playoutThread = new Thread(this::playoutLoop, "causerie-playout-" + name);
    for (Thread t : new Thread[] {captureThread, playoutThread}) {
      t.setDaemon(true);
      t.setPriority(Thread.MAX_PRIORITY);
    }
    loop.schedule(FIRST_REPORT_DELAY_NANOS, reportTask);
    captureThread.start();
    playoutThread.start();
    log.info("media {}: {} to {} from {}{}", name, codecName, serverMedia,
        receiveEndpoint.localAddress(), impair ? " impaired " + config.impairDirection() + " "
            + spec : "");
  }

  /** The jitter buffer for a codec: the operator's cap, and a two-frame floor for FEC codecs. */
  static JitterBufferConfig jitterConfig(AudioCodec codec, int capMillis) {
    JitterBufferConfig d = JitterBufferConfig.DEFAULTS;
    int min = codec.supportsFec() ? FEC_MIN_DELAY_MILLIS : d.minDelayMillis();
    int initial = Math.max(min, d.initialDelayMillis());
    min = Math.min(min, capMillis);
    return new JitterBufferConfig(capMillis, min, Math.min(initial, capMillis), d.delayQuantile(),
        d.delayHistoryPackets(), d.baselineWindowPackets(), d.warmupPackets(),
        d.jitterToleranceMillis(), d.quietWaitFrames(), d.forceDropExcessFrames(),
        d.maxConcealFrames(), d.maxPayloadBytes());
  }

  /** The local address voice is received on. */
  public InetSocketAddress localAddress() {
    return receiveEndpoint.localAddress();
  }

  /** The negotiated codec. */
  public String codec() {
    return codecName;
  }

  /**
   * The figures so far (the call's summary once stopped; see {@link QualitySnapshot}). Any
   * thread.
   */
  public QualitySnapshot quality() {
    QualitySnapshot f = finalSnapshot;
    if (f != null) {
      return f;
    }
    return snapshot();
  }

  private QualitySnapshot snapshot() {
    synchronized (rx) {
      return rx.snapshot(send.packetsSent(), fecSending(), send.redundancySending());
    }
  }

  private boolean fecSending() {
    FecController.Decision fec = send.fecInUse();
    return fec != null && fec.fecEnabled() && fec.expectedLossPercent() > 0;
  }

  /**
   * Mutes or unmutes: while muted, silence is sent in place of the input (packets keep flowing,
   * so the relay latch and NAT bindings stay fresh). Any thread.
   */
  public void setMuted(boolean mute) {
    muted = mute;
  }

  /** Whether the input is muted. */
  public boolean muted() {
    return muted;
  }

  /** Media datagrams dropped by the SRTP check for {@code reason} (tampered, replayed, too old...). Any thread. */
  public long cryptoDrops(SrtpContext.Reason reason) {
    return srtpInDrops[reason.ordinal()].get();
  }

  private final AtomicLong[] srtpInDrops = newCounters(SrtpContext.Reason.values().length);

  private static AtomicLong[] newCounters(int n) {
    AtomicLong[] a = new AtomicLong[n];
    for (int i = 0; i < n; i++) {
      a[i] = new AtomicLong();
    }
    return a;
  }

  /** Datagrams dropped because they did not come from the server's media port. */
  public long foreignDatagrams() {
    return foreignDatagrams.get();
  }

  /**
   * Stops sending and playing, closes the socket, the source and the sink (a WAV recording is
   * complete when this returns); returns the final figures. Idempotent; any thread.
   */
  public QualitySnapshot stop() {
    if (!stopped.compareAndSet(false, true)) {
      QualitySnapshot f = finalSnapshot;
      return f != null ? f : snapshot();
    }
    running = false;
    for (Thread t : new Thread[] {captureThread, playoutThread}) {
      LockSupport.unpark(t);
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    loop.close();
    closeQuietly(closeSource);
    closeQuietly(closeSink);
    QualitySnapshot f;
    synchronized (rx) {
      f = rx.summary(send.packetsSent(), fecSending(), send.redundancySending());
    }
    finalSnapshot = f;
    log.info("media {} stopped: {}; {} RTP payload bytes sent, {} of them redundancy", name, f,
        send.payloadOctetsSent(), send.redundantOctetsSent());
    return f;
  }

  @Override
  public void close() {
    stop();
  }

  // ------------------------------------------------------------------ capture thread

  private void captureLoop() {
    short[] pcm = new short[PipelineFormat.FRAME_SAMPLES];
    byte[] packet = new byte[send.maxPacketBytes()];
    FramePacer pacer = new FramePacer(FRAME_NANOS, CAPTURE_BACKLOG_FRAMES, clock.nanoTime());
    try {
      while (running) {
        long now = clock.nanoTime();
        int due = pacer.due(now);
        if (due == 0) {
          LockSupport.parkNanos(pacer.nextDeadlineNanos() - now);
          continue;
        }
        long skipped = pacer.takeSkipped();
        for (long i = 0; i < skipped; i++) {
          if (i < MAX_SKIPPED_SOURCE_FRAMES) {
            readInput(pcm); // the source stays in real time: its audio for those frames is lost
          }
          send.skip();
        }
        for (int i = 0; i < due && running; i++) {
          readInput(pcm);
          if (muted) {
            Silence.fill(pcm, 0, pcm.length);
          }
          int len = send.packetize(pcm, 0, packet, now);
          if (len > 0) {
            transmit(packet, len, false, now);
          }
        }
      }
    } catch (RuntimeException e) {
      log.error("media {}: capture stopped", name, e);
    }
    if (pacer.stalls() > 0) {
      log.info("media {}: capture stalled {} times; {} frames given up", name, pacer.stalls(),
          pacer.skipped());
    }
  }

  private void readInput(short[] pcm) {
    try {
      if (source.readFrame(pcm, 0)) {
        return;
      }
      log.debug("media {}: input ended; sending silence", name);
    } catch (IOException e) {
      log.warn("media {}: input failed ({}); sending silence", name, e.getMessage());
    }
    source = new Silence(PipelineFormat.SAMPLE_RATE_HZ);
    Silence.fill(pcm, 0, pcm.length);
  }

  /**
   * Encrypts an RTP packet or RTCP compound and sends it to the server, through the outgoing impairment if any.
   * Any thread.
   */
  private void transmit(byte[] buf, int len, boolean rtcp, long now) {
    byte[] sealed;
    synchronized (srtpOut) {
      sealed = rtcp ? srtpOut.protectRtcp(buf, 0, len) : srtpOut.protectRtp(buf, 0, len);
    }
    if (impairOut != null) {
      synchronized (impairOut) {
        impairOut.submit(sealed, now);
      }
      loop.execute(flushOutTask);
      return;
    }
    sendEndpoint.send(sealed, serverMedia);
  }

  // ------------------------------------------------------------------ playout thread

  private void playoutLoop() {
    short[] pcm = new short[PipelineFormat.FRAME_SAMPLES];
    FramePacer pacer = new FramePacer(FRAME_NANOS, PLAYOUT_BACKLOG_FRAMES, clock.nanoTime());
    try {
      while (running) {
        long now = clock.nanoTime();
        int due = pacer.due(now);
        if (due == 0) {
          LockSupport.parkNanos(pacer.nextDeadlineNanos() - now);
          continue;
        }
        pacer.takeSkipped(); // the jitter buffer drops what is now too old by itself
        for (int i = 0; i < due && running; i++) {
          synchronized (rx) {
            rx.playout(now, pcm, 0);
          }
          try {
            sink.writeFrame(pcm, 0);
          } catch (IOException e) {
            log.warn("media {}: output failed ({}); discarding voice", name, e.getMessage());
            sink = new Silence(PipelineFormat.SAMPLE_RATE_HZ);
          }
        }
      }
    } catch (RuntimeException e) {
      log.error("media {}: playout stopped", name, e);
    }
    if (pacer.stalls() > 0) {
      log.info("media {}: playout stalled {} times; {} frames not played", name, pacer.stalls(),
          pacer.skipped());
    }
  }

  // ------------------------------------------------------------------ media event loop

  private void onDatagram(UdpEndpoint ep, byte[] buf, int len, InetSocketAddress from) {
    if (!serverMedia.equals(from)) {
      foreignDatagrams.incrementAndGet();
      return;
    }
    long now = clock.nanoTime();
    if (impairIn != null) {
      impairIn.submit(Arrays.copyOf(buf, len), now);
      armIncoming(now);
      return;
    }
    deliver(buf, len, now);
  }

  private void deliver(byte[] buf, int len, long now) {
    // RFC 5761 §4: a second byte of 192-223 is RTCP (SRTCP here), anything else RTP (SRTP).
    boolean rtcp = len >= 2 && (buf[1] & 0xFF) >= 192 && (buf[1] & 0xFF) <= 223;
    int n = rtcp ? srtpIn.unprotectRtcp(buf, 0, len, plain) : srtpIn.unprotectRtp(buf, 0, len, plain);
    if (n < 0) {
      srtpInDrops[SrtpContext.Reason.of(n).ordinal()].incrementAndGet();
      return;
    }
    ReceivePath.Outcome outcome;
    FecController.Decision decision = null;
    synchronized (rx) {
      outcome = rx.onDatagram(plain, 0, n, now);
      if (outcome == ReceivePath.Outcome.REPORT) {
        decision = rx.fecDecision();
      }
    }
    if (decision != null) {
      send.requestFec(decision);
    }
  }

  private void armIncoming(long now) {
    long next = impairIn.nextDeliveryNanos();
    if (next != Long.MAX_VALUE && next < inArmedAt) {
      inArmedAt = next;
      loop.schedule(Math.max(0, next - now), this::deliverIncoming);
    }
  }

  private void deliverIncoming() {
    inArmedAt = Long.MAX_VALUE;
    long now = clock.nanoTime();
    impairIn.pollDue(now, d -> deliver(d.datagram(), d.datagram().length, now));
    armIncoming(now);
  }

  private void flushOutgoingOnTimer() {
    outArmedAt = Long.MAX_VALUE;
    flushOutgoing();
  }

  private void flushOutgoing() {
    long now = clock.nanoTime();
    long next;
    synchronized (impairOut) {
      impairOut.pollDue(now, d -> sendEndpoint.send(d.datagram(), serverMedia));
      next = impairOut.nextDeliveryNanos();
    }
    if (next != Long.MAX_VALUE && next < outArmedAt) {
      outArmedAt = next;
      loop.schedule(Math.max(0, next - now), flushOutTimer);
    }
  }

  private void reportTick() {
    if (!running) {
      return;
    }
    long now = clock.nanoTime();
    if (reports.due(now)) {
      SenderReport sr = send.senderReport(now);
      int len;
      synchronized (rx) {
        len = rx.writeReport(sr, now, reportBuffer, 0);
      }
      transmit(reportBuffer, len, true, now);
    }
    loop.schedule(Math.max(0, reports.nextDeadlineNanos() - clock.nanoTime()), reportTask);
  }

  private static void closeQuietly(Object o) {
    if (o instanceof Closeable c) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        log.warn("closing {} failed: {}", o, e.toString());
      }
    }
  }
}
