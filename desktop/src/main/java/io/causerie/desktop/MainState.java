package io.causerie.desktop;

import io.causerie.protocol.PresenceState;
import java.util.List;

/**
 * Everything the main screen shows, as data: what {@link MainModel} produces and {@link MainView} renders.
 *
 * @param user who is signed in
 * @param server the server address as the user typed it
 * @param connection the link's state
 * @param connectionDetail why it is not connected, or null
 * @param contacts the filtered, sorted contact list
 * @param filter the filter text
 * @param onlineCount how many other users are online or in a call (unfiltered)
 * @param contactCount how many other users there are (unfiltered)
 * @param call the call in progress, or null
 * @param history this session's calls, newest first
 * @param notice the message above the history, or null
 */
public record MainState(
    String user,
    String server,
    Connection connection,
    String connectionDetail,
    List<ContactRow> contacts,
    String filter,
    int onlineCount,
    int contactCount,
    CallView call,
    List<HistoryEntry> history,
    Notice notice) {

  /** Whether the call button may call {@code peer} now. */
  public boolean canCall(String peer) {
    if (connection != Connection.CONNECTED || call != null || peer == null || peer.equals(user)) {
      return false;
    }
    return contacts.stream().anyMatch(c -> c.name().equals(peer) && c.presence() == PresenceState.ONLINE);
  }

  /** How many calls of this session were missed. */
  public long missedCount() {
    return history.stream().filter(HistoryEntry::missed).count();
  }
}
