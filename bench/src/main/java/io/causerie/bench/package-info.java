/** Load generators and benchmarks that drive a real server over loopback. */
package io.causerie.bench;
