/**
 * JMH micro-benchmarks of the per-frame and per-packet costs (Opus, G.711, jitter buffer, signalling codec, SRTP)
 * and their runner, {@code ./causerie bench codec} (docs/BENCHMARKS.md).
 */
package io.causerie.bench.jmh;
