package io.causerie.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/** A media relay that only records what the core asked of it. */
final class RecordingMediaRelay implements MediaRelay {
  record FakePort(int port, String user) implements Port {}

  private int next = 6001;
  final Map<Integer, Integer> connected = new HashMap<>();
  final Map<Integer, InetAddress> allowed = new HashMap<>();
  int open;
  int limit = Integer.MAX_VALUE;

  @Override
  public Port open(String user, InetAddress clientIp, InetSocketAddress fixedReply) {
    if (open >= limit) {
      return null;
    }
    open++;
    FakePort p = new FakePort(next++, user);
    allowed.put(p.port(), clientIp);
    return p;
  }

  @Override
  public void moved(Port port, InetAddress clientIp) {
    allowed.put(port.port(), clientIp);
  }

  @Override
  public void connect(Port a, Port b) {
    connected.put(a.port(), b.port());
    connected.put(b.port(), a.port());
  }

  @Override
  public void disconnect(Port p) {
    Integer peer = connected.remove(p.port());
    if (peer != null) {
      connected.remove(peer);
    }
  }

  @Override
  public void close(Port p) {
    disconnect(p);
    allowed.remove(p.port());
    open--;
  }
}
