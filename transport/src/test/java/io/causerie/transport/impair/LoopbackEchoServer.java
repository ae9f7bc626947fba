package io.causerie.transport.impair;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A UDP echo server on 127.0.0.1 for tests, recording the source port of every datagram. */
final class LoopbackEchoServer implements AutoCloseable {

  private static final int POLL_TIMEOUT_MILLIS = 50;
  private static final long JOIN_TIMEOUT_MILLIS = 5_000;
  private static final int MAX_DATAGRAM_BYTES = 65_535;

  private final DatagramSocket socket;
  private final Thread thread;
  private final AtomicInteger received = new AtomicInteger();
  private final List<Integer> sourcePorts = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  LoopbackEchoServer() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    socket.setSoTimeout(POLL_TIMEOUT_MILLIS);
    thread = new Thread(this::serve, "loopback-echo-" + socket.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  int received() {
    return received.get();
  }

  List<Integer> sourcePorts() {
    return List.copyOf(sourcePorts);
  }

  int lastSourcePort() {
    return sourcePorts.get(sourcePorts.size() - 1);
  }

  private void serve() {
    byte[] buffer = new byte[MAX_DATAGRAM_BYTES];
    while (running) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        return;
      }
      received.incrementAndGet();
      sourcePorts.add(packet.getPort());
      try {
        socket.send(packet);
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    socket.close();
    try {
      thread.join(JOIN_TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
