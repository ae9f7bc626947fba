package io.causerie.transport.impair;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * What to do to a datagram stream: loss (optionally in bursts), fixed delay, jitter, reordering and
 * duplication, with a seed so that the same input always yields the same output.
 *
 * <p>The textual syntax, accepted by {@link #parse(String)} and produced by {@link #toString()}, is
 * a comma-separated list of {@code key=value} items in any order, any subset of
 * {@code loss=PCT,burst=N,jitter=MS,reorder=PCT,dup=PCT,seed=N,delay=MS}; the empty string or
 * {@code off} means no impairment.
 *
 * <ul>
 *   <li>{@code loss}: long-run percentage of datagrams lost (0–100).
 *   <li>{@code burst}: mean length of a run of consecutive losses (Gilbert two-state model); 0, the
 *       default, means independent losses. A non-zero value must be at least 1, and at least
 *       {@code loss / (100 - loss)}, because two loss runs are separated by at least one delivered
 *       datagram.
 *   <li>{@code delay}: fixed extra delay in milliseconds applied to every datagram.
 *   <li>{@code jitter}: extra delay in milliseconds drawn uniformly from {@code [0, jitter]} for
 *       each datagram (which, as in a real network, can itself reorder datagrams).
 *   <li>{@code reorder}: percentage of datagrams held back by 1–3 packet intervals so that they
 *       arrive after their successor.
 *   <li>{@code dup}: percentage of datagrams delivered twice, the copy slightly later.
 *   <li>{@code seed}: non-negative seed of the pseudo-random generator (default {@value
 *       #DEFAULT_SEED}).
 * </ul>
 *
 * @param lossPercent long-run loss rate in percent, 0–100
 * @param burstLength mean loss-run length in datagrams, 0 for independent losses or at least 1
 * @param delayMillis fixed extra delay in milliseconds, 0–{@value #MAX_DELAY_MILLIS}
 * @param jitterMillis maximum random extra delay in milliseconds, 0–{@value #MAX_DELAY_MILLIS}
 * @param reorderPercent percentage of datagrams held back behind their successor, 0–100
 * @param duplicatePercent percentage of datagrams delivered twice, 0–100
 * @param seed non-negative pseudo-random seed
 */
public record ImpairmentSpec(
    double lossPercent,
    double burstLength,
    double delayMillis,
    double jitterMillis,
    double reorderPercent,
    double duplicatePercent,
    long seed) {

  /** Seed used when the specification does not name one. */
  public static final long DEFAULT_SEED = 0L;

  /** Largest accepted {@code delay} and {@code jitter}, in milliseconds (one minute). */
  public static final double MAX_DELAY_MILLIS = 60_000;

  /** Largest accepted mean burst length, in datagrams. */
  public static final double MAX_BURST_LENGTH = 1_000_000;

  /** Largest accepted percentage. */
  public static final double MAX_PERCENT = 100;

  /** Smallest non-zero mean burst length: a loss run is at least one datagram long. */
  public static final double MIN_BURST_LENGTH = 1;

  /** The specification that leaves traffic untouched. */
  public static final ImpairmentSpec NONE = new ImpairmentSpec(0, 0, 0, 0, 0, 0, DEFAULT_SEED);

  /** The word that, like the empty string, means no impairment. */
  public static final String OFF = "off";

  static final String KEY_LOSS = "loss";
  static final String KEY_BURST = "burst";
  static final String KEY_DELAY = "delay";
  static final String KEY_JITTER = "jitter";
  static final String KEY_REORDER = "reorder";
  static final String KEY_DUP = "dup";
  static final String KEY_SEED = "seed";

  /** Every key the syntax accepts, in the order {@link #toString()} prints them. */
  public static final List<String> KEYS =
      List.of(KEY_LOSS, KEY_BURST, KEY_DELAY, KEY_JITTER, KEY_REORDER, KEY_DUP, KEY_SEED);

  private static final String ITEM_SEPARATOR = ",";
  private static final String KEY_VALUE_SEPARATOR = "=";
  private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final double BURST_FEASIBILITY_TOLERANCE = 1e-9;
  private static final String VALID_KEYS_HINT =
      "valid keys: "
          + String.join(", ", KEYS)
          + " (syntax: loss=PCT,burst=N,jitter=MS,reorder=PCT,dup=PCT,seed=N,delay=MS, or off)";

  /** Validates every field; the message of a failure names the key, the value and the valid keys. */
  public ImpairmentSpec {
    // Adding +0.0 turns -0.0 into 0.0, so that "loss=-0" equals "loss=0" under record equality.
    lossPercent += 0.0;
    burstLength += 0.0;
    delayMillis += 0.0;
    jitterMillis += 0.0;
    reorderPercent += 0.0;
    duplicatePercent += 0.0;
    requirePercent(KEY_LOSS, lossPercent);
    requirePercent(KEY_REORDER, reorderPercent);
    requirePercent(KEY_DUP, duplicatePercent);
    requireRange(KEY_DELAY, delayMillis, 0, MAX_DELAY_MILLIS, "milliseconds");
    requireRange(KEY_JITTER, jitterMillis, 0, MAX_DELAY_MILLIS, "milliseconds");
    requireRange(KEY_BURST, burstLength, 0, MAX_BURST_LENGTH, "datagrams");
    if (burstLength > 0 && burstLength < MIN_BURST_LENGTH) {
      throw invalid(
          KEY_BURST,
          format(burstLength),
          "a mean burst length is 0 (independent losses) or at least " + format(MIN_BURST_LENGTH));
    }
    if (burstLength > 0 && lossPercent > 0 && lossPercent < MAX_PERCENT) {
      double minimum = lossPercent / (MAX_PERCENT - lossPercent);
      if (burstLength < minimum - BURST_FEASIBILITY_TOLERANCE) {
        throw invalid(
            KEY_BURST,
            format(burstLength),
            "with loss="
                + format(lossPercent)
                + " the mean burst length must be at least "
                + format(minimum)
                + ", since loss runs are separated by at least one delivered datagram");
      }
    }
    if (seed < 0) {
      throw invalid(KEY_SEED, Long.toString(seed), "the seed must not be negative");
    }
  }

  /**
   * Parses the {@code key=value,...} syntax described on this type.
   *
   * @param text the specification; {@code ""} or {@code "off"} means {@link #NONE}
   * @return the parsed specification
   * @throws IllegalArgumentException on an unknown or repeated key, a malformed item, a bad number,
   *     a percentage outside 0–100 or a negative value; the message names the key and the value and
   *     lists the valid keys
   */
  public static ImpairmentSpec parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("Impairment specification is null; " + VALID_KEYS_HINT);
    }
    String trimmed = text.strip();
    if (trimmed.isEmpty() || trimmed.toLowerCase(Locale.ROOT).equals(OFF)) {
      return NONE;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String rawItem : trimmed.split(ITEM_SEPARATOR, -1)) {
      String item = rawItem.strip();
      int separator = item.indexOf(KEY_VALUE_SEPARATOR);
      if (separator < 0) {
        throw new IllegalArgumentException(
            "Malformed impairment item '" + item + "' in '" + text + "': expected key=value; "
                + VALID_KEYS_HINT);
      }
      String key = item.substring(0, separator).strip();
      String value = item.substring(separator + 1).strip();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "Unknown impairment key '" + key + "' (value '" + value + "'); " + VALID_KEYS_HINT);
      }
      if (values.putIfAbsent(key, value) != null) {
        throw invalid(key, value, "the key is given more than once");
      }
    }
    return new ImpairmentSpec(
        decimal(values, KEY_LOSS),
        decimal(values, KEY_BURST),
        decimal(values, KEY_DELAY),
        decimal(values, KEY_JITTER),
        decimal(values, KEY_REORDER),
        decimal(values, KEY_DUP),
        integer(values, KEY_SEED, DEFAULT_SEED));
  }

  /** Returns whether this specification leaves traffic untouched (the seed does not matter). */
  public boolean isNone() {
    return lossPercent == 0
        && delayMillis == 0
        && jitterMillis == 0
        && reorderPercent == 0
        && duplicatePercent == 0;
  }

  /** Returns a copy of this specification with another seed. */
  public ImpairmentSpec withSeed(long newSeed) {
    return new ImpairmentSpec(
        lossPercent, burstLength, delayMillis, jitterMillis, reorderPercent, duplicatePercent,
        newSeed);
  }

  /**
   * Prints the {@link #parse(String)} syntax: the non-default items in the order of {@link #KEYS},
   * or {@code off} when every item has its default.
   */
  @Override
  public String toString() {
    StringJoiner joiner = new StringJoiner(ITEM_SEPARATOR);
    appendIfSet(joiner, KEY_LOSS, lossPercent);
    appendIfSet(joiner, KEY_BURST, burstLength);
    appendIfSet(joiner, KEY_DELAY, delayMillis);
    appendIfSet(joiner, KEY_JITTER, jitterMillis);
    appendIfSet(joiner, KEY_REORDER, reorderPercent);
    appendIfSet(joiner, KEY_DUP, duplicatePercent);
    if (seed != DEFAULT_SEED) {
      joiner.add(KEY_SEED + KEY_VALUE_SEPARATOR + seed);
    }
    return joiner.length() == 0 ? OFF : joiner.toString();
  }

  private static void appendIfSet(StringJoiner joiner, String key, double value) {
    if (value != 0) {
      joiner.add(key + KEY_VALUE_SEPARATOR + format(value));
    }
  }

  private static String format(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static double decimal(Map<String, String> values, String key) {
    String value = values.get(key);
    if (value == null) {
      return 0;
    }
    if (!DECIMAL.matcher(value).matches()) {
      throw invalid(key, value, "not a decimal number");
    }
    double parsed = Double.parseDouble(value);
    if (parsed < 0) {
      throw invalid(key, value, "the value must not be negative");
    }
    return parsed;
  }

  private static long integer(Map<String, String> values, String key, long defaultValue) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (!INTEGER.matcher(value).matches()) {
      throw invalid(key, value, "not an integer");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw invalid(key, value, "the integer does not fit in 64 bits");
    }
  }

  private static void requirePercent(String key, double value) {
    requireRange(key, value, 0, MAX_PERCENT, "percent");
  }

  private static void requireRange(
      String key, double value, double min, double max, String unit) {
    if (Double.isNaN(value) || value < min || value > max) {
      String shown = Double.isFinite(value) ? format(value) : Double.toString(value);
      String reason =
          value < 0
              ? "the value must not be negative"
              : "the value must be between " + format(min) + " and " + format(max) + " " + unit;
      throw invalid(key, shown, reason);
    }
  }

  private static IllegalArgumentException invalid(String key, String value, String reason) {
    return new IllegalArgumentException(
        "Invalid impairment setting " + key + "=" + value + ": " + reason + "; " + VALID_KEYS_HINT);
  }
}
