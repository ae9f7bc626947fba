package io.causerie.desktop;

import io.causerie.protocol.PresenceState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line of the contact list: a user and their presence.
 *
 * @param name the user name
 * @param presence online, in a call, or offline
 */
public record ContactRow(String name, PresenceState presence) {

  /** The words shown next to the name. */
  public String statusText() {
    return statusText(presence);
  }

  public static String statusText(PresenceState p) {
    return switch (p) {
      case ONLINE -> "Online";
      case IN_CALL -> "In a call";
      case OFFLINE -> "Offline";
    };
  }

  /** Online first, then in a call, then offline; by name within each group, ignoring case. */
  public static final Comparator<ContactRow> ORDER = Comparator
      .comparingInt((ContactRow r) -> rank(r.presence()))
      .thenComparing(r -> r.name().toLowerCase(Locale.ROOT))
      .thenComparing(ContactRow::name);

  private static int rank(PresenceState p) {
    return switch (p) {
      case ONLINE -> 0;
      case IN_CALL -> 1;
      case OFFLINE -> 2;
    };
  }

  /**
   * The contact list for a presence map: everyone but {@code self} whose name contains {@code filter} (ignoring
   * case and surrounding blanks), in {@link #ORDER}.
   */
  public static List<ContactRow> list(Map<String, PresenceState> presence, String self, String filter) {
    String f = filter == null ? "" : filter.strip().toLowerCase(Locale.ROOT);
    List<ContactRow> rows = new ArrayList<>();
    presence.forEach((name, state) -> {
      if (!name.equals(self) && name.toLowerCase(Locale.ROOT).contains(f)) {
        rows.add(new ContactRow(name, state));
      }
    });
    rows.sort(ORDER);
    return List.copyOf(rows);
  }
}
