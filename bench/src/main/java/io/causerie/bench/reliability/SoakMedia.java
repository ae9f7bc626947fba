package io.causerie.bench.reliability;

import io.causerie.media.codec.AudioCodec;
import io.causerie.media.codec.Codecs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Voice for many soak calls at little CPU: real Opus frames (a 440 Hz tone encoded once by the product's Opus codec,
 * one second of it replayed) in RTP packets, 50 per second per direction, from one socket per client to that
 * client's media port, so the relay latches and forwards them as it does a client's. Counts what is sent and what
 * comes back from the relay.
 */
final class SoakMedia implements AutoCloseable {
  private final List<DatagramChannel> channels = new ArrayList<>();
  private final List<InetSocketAddress> targets = new ArrayList<>();
  private final Selector selector;
  private final byte[][] frames;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong received = new AtomicLong();
  private volatile boolean sending = true;
  private volatile boolean running = true;
  private final Thread sender;
  private final Thread receiver;

  SoakMedia(List<Integer> mediaPorts) throws IOException {
    this.frames = opusFrames();
    this.selector = Selector.open();
    for (int port : mediaPorts) {
      DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
      c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
      c.configureBlocking(false);
      c.register(selector, SelectionKey.OP_READ);
      channels.add(c);
      targets.add(new InetSocketAddress("127.0.0.1", port));
    }
    sender = new Thread(this::send, "reliability-soak-send");
    receiver = new Thread(this::receive, "reliability-soak-receive");
    sender.setDaemon(true);
    receiver.setDaemon(true);
    receiver.start();
    sender.start();
  }

  /** One second of a 440 Hz tone as Opus frames. */
  static byte[][] opusFrames() {
    AudioCodec opus = Codecs.byName("opus");
    int n = opus.frameSamples();
    byte[][] out = new byte[50][];
    short[] pcm = new short[n];
    byte[] buf = new byte[opus.maxPayloadBytes()];
    long sample = 0;
    for (int f = 0; f < out.length; f++) {
      for (int i = 0; i < n; i++, sample++) {
        pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * sample / opus.sampleRateHz()));
      }
      int len = opus.encode(pcm, 0, buf, 0);
      out[f] = java.util.Arrays.copyOf(buf, len);
    }
    return out;
  }

  private void send() {
    int[] seq = new int[channels.size()];
    int[] ssrc = new int[channels.size()];
    java.util.Random r = new java.util.Random(11);
    for (int i = 0; i < ssrc.length; i++) {
      ssrc[i] = r.nextInt();
      seq[i] = r.nextInt(65536);
    }
    ByteBuffer b = ByteBuffer.allocate(12 + 1500);
    long start = System.nanoTime();
    long tick = 0;
    while (running) {
      if (sending) {
        byte[] frame = frames[(int) (tick % frames.length)];
        for (int i = 0; i < channels.size(); i++) {
          b.clear();
          b.put((byte) 0x80).put((byte) 111).putShort((short) seq[i]++).putInt((int) (tick * 960)).putInt(ssrc[i]);
          b.put(frame).flip();
          try {
            if (channels.get(i).send(b, targets.get(i)) > 0) {
              sent.incrementAndGet();
            }
          } catch (IOException e) {
            // counted as not sent
          }
        }
      }
      tick++;
      long wait = start + tick * 20_000_000L - System.nanoTime();
      if (wait > 0) {
        Util.sleep(wait / 1_000_000);
      }
    }
  }

  private void receive() {
    ByteBuffer b = ByteBuffer.allocate(2048);
    while (running) {
      try {
        selector.select(200);
        var it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey k = it.next();
          it.remove();
          DatagramChannel c = (DatagramChannel) k.channel();
          b.clear();
          while (c.receive(b) != null) {
            received.incrementAndGet();
            b.clear();
          }
        }
      } catch (IOException | java.nio.channels.ClosedSelectorException e) {
        return;
      }
    }
  }

  /** Stops sending (receiving goes on, for what is in flight). */
  void stopSending() {
    sending = false;
  }

  @Override
  public void close() {
    running = false;
    try {
      sender.join(2_000);
      selector.close();
    } catch (Exception e) {
      // closing anyway
    }
    for (DatagramChannel c : channels) {
      try {
        c.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
