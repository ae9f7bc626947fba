package io.causerie.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.causerie.protocol.scram.ScramCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path dir;

  @Test
  void aPathOpensASqliteFileAndCreatesItsDirectories() {
    Path file = dir.resolve("a/b/causerie.db");
    try (Database db = Database.open(file.toString())) {
      assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
      assertThat(db.describe()).isEqualTo("SQLite file " + file.toAbsolutePath());
    }
    assertThat(file).isRegularFile();
  }

  @Test
  void aNewSqliteFileIsReadableByItsOwnerOnly() throws IOException {
    Path file = dir.resolve("private.db");
    Database.open(file.toString()).close();
    assumeTrue(Files.getFileStore(file).supportsFileAttributeView("posix"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void aSqliteUrlWorksToo() {
    Path file = dir.resolve("url/causerie.db");
    try (Database db = Database.open("jdbc:sqlite:" + file)) {
      assertThat(db.describe()).isEqualTo("SQLite file " + file.toAbsolutePath());
      assertThat(db.schemaVersion()).isEqualTo(Migrations.latestVersion());
    }
    assertThat(file).isRegularFile();
  }

  @Test
  void theDatabaseNeverHoldsThePassword() throws IOException {
    String password = "correct-horse-battery-staple-42";
    Path file = dir.resolve("causerie.db");
    try (Database db = Database.open(file.toString())) {
      JdbcUserStore users = new JdbcUserStore(db);
      users.add("alice", ScramCredential.generate(password.toCharArray(), 4096, new SecureRandom()), null);
      users.recordLastSeen("alice", "127.0.0.1");
      assertThat(users.find("alice")).isPresent();
    }
    List<byte[]> needles = List.of(
        password.getBytes(StandardCharsets.UTF_8),
        password.getBytes(StandardCharsets.UTF_16LE),
        Base64.getEncoder().encode(password.getBytes(StandardCharsets.UTF_8)));
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      assertThat(all).anyMatch(p -> p.getFileName().toString().equals("causerie.db"));
      for (Path p : all) {
        byte[] bytes = Files.readAllBytes(p);
        assertThat(bytes.length).as("%s is not empty", p).isPositive();
        for (byte[] needle : needles) {
          assertThat(indexOf(bytes, needle)).as("password bytes in %s", p).isEqualTo(-1);
        }
        // The check would find it: the user name is in there.
        if (p.getFileName().toString().equals("causerie.db")) {
          assertThat(indexOf(bytes, "alice".getBytes(StandardCharsets.UTF_8))).isNotNegative();
        }
      }
    }
  }

  @Test
  void aDirectoryIsNotADatabase() {
    assertOneLineFailure(dir.toString()).hasMessageContaining("is a directory");
  }

  @Test
  void aFileInTheWayOfTheDirectoryIsNamed() throws IOException {
    Path blocker = Files.writeString(dir.resolve("blocker"), "x");
    assertOneLineFailure(blocker.resolve("causerie.db").toString())
        .hasMessageContaining("cannot create directory")
        .hasMessageContaining("a file is in the way");
  }

  @Test
  void aFileThatIsNotADatabaseIsNamed() throws IOException {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "these are not the tables you are looking for\n".repeat(200));
    assertOneLineFailure(notes.toString()).hasMessageContaining("not a database");
  }

  @Test
  void unsupportedUrlsAreNamed() {
    assertOneLineFailure("jdbc:mysql://localhost/causerie")
        .hasMessageContaining("unsupported database URL")
        .hasMessageContaining("jdbc:postgresql://");
  }

  @Test
  void anUnreachableServerIsNamedWithoutItsPassword() {
    String url = "jdbc:postgresql://127.0.0.1:1/causerie?user=causerie&password=hunter2";
    assertOneLineFailure(url)
        .hasMessageStartingWith("cannot open PostgreSQL database 'jdbc:postgresql://127.0.0.1:1/causerie?user=causerie&password=***'")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void inMemoryAndEmptyArgumentsAreRefused() {
    assertOneLineFailure("jdbc:sqlite::memory:").hasMessageContaining("in-memory");
    assertOneLineFailure("jdbc:sqlite:").hasMessageContaining("in-memory");
    assertOneLineFailure("  ").hasMessageContaining("no database given");
  }

  @Test
  void describeHidesPasswords() {
    Database.Target t = Database.resolve("jdbc:postgresql://db.example/causerie?user=c&password=s3cret&ssl=true");
    assertThat(t.description())
        .isEqualTo("PostgreSQL jdbc:postgresql://db.example/causerie?user=c&password=***&ssl=true");
    assertThat(t.dialect()).isEqualTo(Dialect.POSTGRESQL);
  }

  @Test
  void migrationScriptsAreSplitAndFilledPerDialect() {
    String script = "-- comment; with a semicolon\nCREATE TABLE t (id ${id_primary_key});\n\nCREATE INDEX i ON t (id);\n";
    assertThat(Migrations.statements(script, Dialect.SQLITE))
        .containsExactly("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)", "CREATE INDEX i ON t (id)");
    assertThat(Migrations.statements(script, Dialect.POSTGRESQL).get(0))
        .isEqualTo("CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY)");
    assertThatThrownBy(() -> Migrations.statements("CREATE TABLE t (x ${nope})", Dialect.SQLITE))
        .isInstanceOf(IllegalStateException.class);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertOneLineFailure(String dbArg) {
    return assertThatThrownBy(() -> Database.open(dbArg).close())
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\tat "));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
