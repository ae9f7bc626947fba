/**
 * Pure end-to-end media crypto: per-call X25519 key agreement with a ZRTP-style hash commitment
 * and a short authentication string ({@link io.causerie.media.crypto.CallKeyAgreement}), and
 * SRTP/SRTCP with AEAD_AES_128_GCM (RFC 7714) over the RFC 3711 key derivation and replay
 * protection ({@link io.causerie.media.crypto.SrtpContext}). Bytes in, bytes out: no sockets,
 * threads or clocks; only JDK and BouncyCastle primitives.
 */
package io.causerie.media.crypto;
