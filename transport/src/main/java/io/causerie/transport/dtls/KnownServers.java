package io.causerie.transport.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trust on first use, like SSH's known_hosts: a text file with one line per server, {@code
 * host:port SHA256:AB:CD:...} ('#' starts a comment). The first contact with a server records its
 * fingerprint; later contacts must present the same one, else {@link FingerprintMismatchException}.
 * The file is re-read on every check, so edits take effect without a restart. Thread-safe within
 * one process.
 */
public final class KnownServers implements ServerFingerprintPolicy {
  private static final Logger log = LoggerFactory.getLogger(KnownServers.class);
  private static final String COMMENT = "#";

  private final Path file;

  /** Uses (and creates on first contact) {@code file}. */
  public KnownServers(Path file) {
    this.file = file;
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** "host:port" as written in the file ("[v6]:port" for IPv6). */
  static String hostPort(InetSocketAddress a) {
    String host = a.getHostString();
    if (a.getAddress() instanceof Inet6Address && !host.startsWith("[") && host.contains(":")) {
      host = "[" + host + "]";
    }
    return host + ":" + a.getPort();
  }

  @Override
  public synchronized void check(InetSocketAddress server, String presented)
      throws FingerprintMismatchException {
    String key = hostPort(server);
    String canonical = ServerIdentity.normalizeFingerprint(presented);
    String known = lookup(key);
    if (known == null) {
      record(key, canonical);
      log.info("first contact with {}: recorded {} in {}", key, canonical, file);
      return;
    }
    if (!known.equals(canonical)) {
      throw new FingerprintMismatchException(server, canonical, known, file.toString(),
          "remove that line");
    }
  }

  /** The recorded fingerprint of {@code hostPort}, or null. */
  public synchronized String lookup(String hostPort) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith(COMMENT)) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length < 2 || !fields[0].equalsIgnoreCase(hostPort)) {
        continue;
      }
      try {
        return ServerIdentity.normalizeFingerprint(fields[1]);
      } catch (IllegalArgumentException e) {
        log.warn("{}: ignoring malformed line '{}'", file, line);
      }
    }
    return null;
  }

  private void record(String key, String fingerprint) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, key + " " + fingerprint + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the server fingerprint in " + file, e);
    }
  }
}
