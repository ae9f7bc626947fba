package io.causerie.server;

import io.causerie.transport.Clock;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-port relay on Netty's native epoll transport: datagrams are read {@link #DATAGRAMS_PER_READ} at a
 * time with {@code recvmmsg}, and everything a read forwards is written with one {@code sendmmsg} when the read is
 * complete. A thin adapter: every decision is {@link SinglePortRelayCore}'s.
 */
final class EpollSinglePort implements SinglePortTransport {
  private static final Logger log = LoggerFactory.getLogger(EpollSinglePort.class);

  /** Largest datagram read whole (docs/PROTOCOL.md §8.1: the relay reads into 2048 bytes). */
  static final int MAX_DATAGRAM_BYTES = 2048;
  /** Datagrams one {@code recvmmsg} may return. */
  static final int DATAGRAMS_PER_READ = 64;
  /** Kernel socket buffers: a few tens of milliseconds of 200,000 packets per second each way. */
  static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
  /** Forwarded bytes queued in the channel beyond which datagrams are dropped (send-failed) rather than queued. */
  static final int MAX_QUEUED_BYTES = 2 * 1024 * 1024;

  private final EventLoopGroup group;
  private final Channel channel;
  private final AtomicLong failures = new AtomicLong();

  /** True when the native transport loads on this machine. */
  static boolean available() {
    return Epoll.isAvailable();
  }

  /** Why the native transport does not load here. */
  static Throwable unavailabilityCause() {
    return Epoll.unavailabilityCause();
  }

  EpollSinglePort(InetSocketAddress bind, SinglePortRelayCore core, Clock clock) throws IOException {
    this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("causerie-relay", true),
        EpollIoHandler.newFactory());
    Bootstrap b = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM_BYTES)
        .option(ChannelOption.RECVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES * DATAGRAMS_PER_READ))
        .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
        .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(MAX_QUEUED_BYTES / 2, MAX_QUEUED_BYTES))
        .handler(new Forwarder(core, clock, failures));
    try {
      this.channel = b.bind(bind).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new IOException("interrupted while binding " + bind);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new IOException(e.getMessage(), e);
    } catch (Exception e) { // Netty rethrows checked bind failures undeclared
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Reads, decides, writes; flushes once per read batch (relay thread). */
  private static final class Forwarder extends ChannelInboundHandlerAdapter {
    private final SinglePortRelayCore core;
    private final Clock clock;
    private final AtomicLong failures;
    private boolean pending;

    Forwarder(SinglePortRelayCore core, Clock clock, AtomicLong failures) {
      this.core = core;
      this.clock = clock;
      this.failures = failures;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      DatagramPacket p = (DatagramPacket) msg;
      ByteBuf content = p.content();
      int len = content.readableBytes();
      InetSocketAddress to = core.route(mediaId(content, len), len, p.sender(), clock.nanoTime());
      if (to == null) {
        p.release();
        return;
      }
      if (!ctx.channel().isWritable()) {
        p.release();
        core.sendFailed();
        return;
      }
      // The received bytes go out as they are: the new packet takes over the buffer.
      ctx.write(new DatagramPacket(content, to), ctx.voidPromise());
      core.forwarded(len);
      pending = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (pending) {
        pending = false;
        ctx.flush(); // one sendmmsg for the batch
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A failed send (e.g. ICMP unreachable reported on the socket) or a bug: logged, counted, never fatal.
      failures.incrementAndGet();
      core.sendFailed();
      log.debug("relay channel: {}", cause.toString());
    }

    private static int mediaId(ByteBuf b, int len) {
      if (len < 2) {
        return 0;
      }
      int r = b.readerIndex();
      int at = SinglePortRelayCore.mediaIdOffset(b.getByte(r), b.getByte(r + 1), len);
      return at < 0 ? 0 : b.getInt(r + at);
    }
  }

  @Override
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void execute(Runnable task) {
    channel.eventLoop().execute(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        log.error("relay task failed", e);
      }
    });
  }

  @Override
  public long failures() {
    return failures.get();
  }

  @Override
  public String describe() {
    return "epoll (recvmmsg up to " + DATAGRAMS_PER_READ + " datagrams, sendmmsg per batch)";
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
