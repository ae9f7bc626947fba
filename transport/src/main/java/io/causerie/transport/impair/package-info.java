/**
 * Network impairment for tests and diagnostics: a pure, seeded loss/delay/jitter/reorder/duplication
 * model ({@link io.causerie.transport.impair.Impairment}) and thin UDP adapters that apply it on
 * loopback ({@link io.causerie.transport.impair.ImpairmentProxy},
 * {@link io.causerie.transport.impair.UdpImpairmentLink}).
 */
package io.causerie.transport.impair;
