/**
 * DTLS 1.2 for the UDP signalling channel, on BouncyCastle's {@code org.bouncycastle.tls} DTLS
 * implementation: a server layer ({@link io.causerie.transport.dtls.DtlsServerLayer}) with a
 * stateless cookie exchange and a bounded handshake pool, a client layer ({@link
 * io.causerie.transport.dtls.DtlsClientLayer}) with server-certificate pinning ({@link
 * io.causerie.transport.dtls.ServerFingerprintPolicy}), and the server's long-term identity ({@link
 * io.causerie.transport.dtls.ServerIdentity}).
 *
 * <p>Both layers sit between a socket and a plaintext core: the socket's receive path calls {@code
 * onDatagram}, the core's send path calls {@code send}, and the layer emits ciphertext through a
 * {@link io.causerie.transport.dtls.Sender} and plaintext through a {@link
 * io.causerie.transport.dtls.PlaintextHandler}, both always on the loop thread.
 *
 * <p>Wiring on the server (one {@link io.causerie.transport.EventLoop}):
 *
 * <pre>{@code
 * UdpEndpoint[] ep = new UdpEndpoint[1];
 * DtlsServerLayer dtls = new DtlsServerLayer(identity, DtlsConfig.defaults(),
 *     (b, off, len, to) -> ep[0].send(ByteBuffer.wrap(b, off, len), to),
 *     core::onDatagram,                       // plaintext in
 *     loop, limiter::allow, loop.clock()::nanoTime);
 * ep[0] = loop.bind(address, (e, buf, len, src) -> dtls.onDatagram(buf, len, src));
 * // core sends with (bytes, to) -> dtls.send(bytes, to); a periodic loop timer calls
 * // dtls.tick(loop.clock().nanoTime()).
 * }</pre>
 *
 * <p>On the client, {@code out.send(bytes, server)} becomes {@code dtls.send(bytes)}, the socket's
 * handler calls {@code dtls.onDatagram}, and signing in starts from {@link
 * io.causerie.transport.dtls.DtlsClientLayer.Listener#onEstablished()}.
 */
package io.causerie.transport.dtls;
