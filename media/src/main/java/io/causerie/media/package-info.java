/**
 * The voice pure core: RTP, codecs, jitter buffer, concealment, quality statistics and audio
 * sources/sinks, all free of sockets, threads and wall-clock reads.
 *
 * <p>Sub-packages: {@code rtp} (RFC 3550 framing and sequence arithmetic), {@code codec} (Opus and
 * G.711 behind {@link io.causerie.media.codec.AudioCodec}), {@code jitter} (adaptive playout
 * buffer), {@code quality} (reception statistics, E-model MOS, RTCP-like reports, FEC control) and
 * {@code audio} (tones, WAV files, resampling, 20 ms frame sources and sinks). Time always enters as
 * a {@code nowNanos} parameter so that every class runs on a fake clock in tests.
 */
package io.causerie.media;
