package io.causerie.server;

import io.causerie.transport.Clock;
import io.causerie.transport.EventLoop;
import io.causerie.transport.UdpEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The single-port relay on the portable NIO event loop: one receive and one send system call per datagram. Used
 * where Netty's native epoll transport is not available.
 */
final class NioSinglePort implements SinglePortTransport {
  private final EventLoop loop;
  private final UdpEndpoint endpoint;
  private final SinglePortRelayCore core;
  private final Clock clock;
  /** A view over the loop's receive array, reused for every forward (relay thread only). */
  private ByteBuffer view;

  NioSinglePort(InetSocketAddress bind, SinglePortRelayCore core, Clock clock) throws IOException {
    this.core = core;
    this.clock = clock;
    this.loop = new EventLoop("causerie-relay", clock).start();
    try {
      this.endpoint = loop.bind(bind, (e, buf, len, src) -> onDatagram(buf, len, src));
    } catch (IOException e) {
      loop.close();
      throw e;
    }
  }

  private void onDatagram(byte[] buf, int len, InetSocketAddress source) {
    InetSocketAddress to = core.route(SinglePortRelayCore.mediaId(buf, 0, len), len, source, clock.nanoTime());
    if (to == null) {
      return;
    }
    if (view == null || view.array() != buf) {
      view = ByteBuffer.wrap(buf);
    }
    view.limit(len).position(0);
    if (endpoint.send(view, to)) {
      core.forwarded(len);
    } else {
      core.sendFailed();
    }
  }

  @Override
  public int port() {
    return endpoint.localAddress().getPort();
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public long failures() {
    return loop.failures();
  }

  @Override
  public String describe() {
    return "nio (one system call per datagram)";
  }

  @Override
  public void close() {
    endpoint.close();
    loop.close();
  }
}
