package io.causerie.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.Test;

class SettingsStoreTest {
  private final Preferences root = new MemoryPreferences().node(SettingsStore.NODE);
  private final SettingsStore store = new SettingsStore(root);

  @Test
  void defaultsBeforeAnything() {
    assertThat(store.lastServer()).isEqualTo("localhost");
    assertThat(store.lastUser()).isEmpty();
    assertThat(store.lastTheme()).isEqualTo(Theme.LIGHT);
    assertThat(store.load("alice")).isEqualTo(Settings.DEFAULTS);
  }

  @Test
  void remembersTheLoginButNeverAPassword() throws Exception {
    store.rememberLogin("voip.example.org:7000", "alice");
    assertThat(store.lastServer()).isEqualTo("voip.example.org:7000");
    assertThat(store.lastUser()).isEqualTo("alice");
    assertThat(root.keys()).containsExactlyInAnyOrder("server", "user");
  }

  @Test
  void settingsArePerUser() {
    Settings mine = new Settings("USB mic", "Headset", List.of("pcma", "opus", "pcmu"), 120, Theme.DARK);
    store.save("alice", mine);
    assertThat(store.load("alice")).isEqualTo(mine);
    assertThat(store.load("bob").codecs()).isEqualTo(Settings.DEFAULTS.codecs());
    assertThat(store.lastTheme()).isEqualTo(Theme.DARK);
    assertThat(store.load("bob").theme()).isEqualTo(Theme.DARK); // a new user starts with the last theme
  }

  @Test
  void oddUserNamesGetAValidNode() {
    assertThat(SettingsStore.nodeName("alice.b-c_d@x")).isEqualTo("alice.b-c_d@x");
    assertThat(SettingsStore.nodeName("a/b")).startsWith("u-").hasSize(34);
    assertThat(SettingsStore.nodeName("é".repeat(100))).startsWith("u-");
    Settings s = Settings.DEFAULTS.withTheme(Theme.DARK);
    store.save("a/b", s);
    assertThat(store.load("a/b")).isEqualTo(s);
  }

  @Test
  void settingsAreNormalized() {
    Settings s = new Settings(" ", null, List.of("PCMU", "speex", "pcmu"), 5, null);
    assertThat(s.inputDevice()).isNull();
    assertThat(s.codecs()).containsExactly("pcmu", "opus", "pcma");
    assertThat(s.jitterBufferCapMillis()).isEqualTo(Settings.MIN_JITTER_CAP_MILLIS);
    assertThat(s.theme()).isEqualTo(Theme.LIGHT);
    assertThat(new Settings(null, null, null, 99_999, Theme.DARK).jitterBufferCapMillis())
        .isEqualTo(Settings.MAX_JITTER_CAP_MILLIS);
    assertThat(s.audio()).isEqualTo(new AudioSettings(null, null, Settings.MIN_JITTER_CAP_MILLIS));
  }
}
