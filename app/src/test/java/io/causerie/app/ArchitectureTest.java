package io.causerie.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of docs/ARCHITECTURE: pure cores free of I/O, arrows pointing one way. */
class ArchitectureTest {
  private static JavaClasses classes;

  /** Packages of I/O a pure core must not touch (java.net's value types, like InetSocketAddress, are allowed). */
  private static final String[] IO = {
    "java.nio.channels..", "java.sql..", "javax.sql..", "javax.swing..", "java.awt..", "javax.sound..", "com.zaxxer.."
  };

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.causerie");
  }

  @Test
  void theProtocolIsPureAndDependsOnNothingOfOurs() {
    noClasses().that().resideInAPackage("io.causerie.protocol..")
        .should().dependOnClassesThat().resideInAnyPackage(IO)
        .orShould().dependOnClassesThat().resideInAnyPackage("io.causerie.transport..", "io.causerie.server..",
            "io.causerie.client..", "io.causerie.media..", "io.causerie.desktop..", "io.causerie.app..")
        .check(classes);
  }

  @Test
  void theMediaCoreIsPure() {
    noClasses().that().resideInAnyPackage("io.causerie.media.rtp..", "io.causerie.media.codec..",
            "io.causerie.media.jitter..", "io.causerie.media.quality..")
        .should().dependOnClassesThat().resideInAnyPackage(IO)
        .check(classes);
  }

  @Test
  void theSignallingCoreDoesNoIo() {
    noClasses().that().haveSimpleNameStartingWith("SignallingCore").or().haveSimpleName("Call")
        .or().haveSimpleName("AuthThrottle").or().haveSimpleName("RateLimiter")
        .and().resideInAPackage("io.causerie.server")
        .should().dependOnClassesThat().resideInAnyPackage(IO)
        .check(classes);
  }

  @Test
  void arrowsPointOneWay() {
    noClasses().that().resideInAPackage("io.causerie.transport..")
        .should().dependOnClassesThat().resideInAnyPackage("io.causerie.server..", "io.causerie.client..",
            "io.causerie.desktop..", "io.causerie.app..")
        .check(classes);
    noClasses().that().resideInAPackage("io.causerie.server..")
        .should().dependOnClassesThat().resideInAnyPackage("io.causerie.client..", "io.causerie.desktop..",
            "io.causerie.app..")
        .check(classes);
    noClasses().that().resideInAPackage("io.causerie.client..")
        .should().dependOnClassesThat().resideInAnyPackage("io.causerie.server..", "io.causerie.desktop..",
            "io.causerie.app..")
        .check(classes);
    noClasses().that().resideInAPackage("io.causerie.desktop..")
        .should().dependOnClassesThat().resideInAnyPackage("io.causerie.server..", "io.causerie.app..")
        .check(classes);
  }
}
