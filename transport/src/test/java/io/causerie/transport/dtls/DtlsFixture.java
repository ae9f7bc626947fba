package io.causerie.transport.dtls;

import io.causerie.transport.impair.ImpairmentSpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/** A server layer and client layers wired through a {@link MemoryLink}. */
final class DtlsFixture implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();

  /** A client layer and what it observed. */
  static final class Client {
    final DtlsClientLayer layer;
    final CompletableFuture<Void> established = new CompletableFuture<>();
    final CompletableFuture<Exception> failed = new CompletableFuture<>();
    final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();

    Client(DtlsFixture f, ServerFingerprintPolicy policy, InetSocketAddress address) {
      this.layer = new DtlsClientLayer(f.config, f.link.toServer.senderFrom(address),
          (buf, len, src) -> inbox.add(new String(buf, 0, len, StandardCharsets.UTF_8)), policy,
          f.link.clientLoop, new DtlsClientLayer.Listener() {
            @Override
            public void onEstablished() {
              established.complete(null);
            }

            @Override
            public void onFailed(Exception e) {
              failed.complete(e);
            }
          });
    }
  }

  final DtlsConfig config;
  final MemoryLink link;
  final ServerIdentity identity;
  final AtomicLong serverNanos = new AtomicLong(System.nanoTime());
  final DtlsServerLayer server;
  /** "src text" per plaintext the server received. */
  final BlockingQueue<String> serverInbox = new LinkedBlockingQueue<>();

  DtlsFixture(ImpairmentSpec spec) {
    this(spec, ServerIdentity.generate(RANDOM), DtlsConfig.defaults());
  }

  DtlsFixture(ImpairmentSpec spec, ServerIdentity identity, DtlsConfig config) {
    this.config = config;
    this.link = new MemoryLink(spec);
    this.identity = identity;
    this.server = new DtlsServerLayer(identity, config, link.toClient.senderFrom(MemoryLink.SERVER),
        (buf, len, src) -> serverInbox.add(src.getPort() + " " + new String(buf, 0, len, StandardCharsets.UTF_8)),
        link.serverLoop, a -> true, serverNanos::get);
    link.toServer.target(MemoryLink.SERVER, server::onDatagram);
  }

  /** A new client layer that receives what the link delivers to the client address. */
  Client newClient(ServerFingerprintPolicy policy) {
    return newClient(policy, MemoryLink.CLIENT);
  }

  /** A new client layer at {@code address} (replacing any client there). */
  Client newClient(ServerFingerprintPolicy policy, InetSocketAddress address) {
    Client c = new Client(this, policy, address);
    link.toClient.target(address, c.layer::onDatagram);
    return c;
  }

  Client connectedClient(ServerFingerprintPolicy policy, Duration timeout) throws Exception {
    Client c = newClient(policy);
    c.layer.connect(MemoryLink.SERVER);
    c.established.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    return c;
  }

  DtlsStats serverStats() {
    return server.stats();
  }

  /** Polls {@code condition} until true or the timeout passes. */
  static void await(Duration timeout, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.onSpinWait();
      Thread.sleep(5);
    }
  }

  @Override
  public void close() {
    try {
      link.serverLoop.submit((Runnable) () -> server.close()).get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("server close failed", e);
    } finally {
      link.close();
    }
  }
}
