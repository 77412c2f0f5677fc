package dev.seedloop.layering;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/**
 * The contract module's layering test. It lives here rather than in {@code events/} so that the contract keeps no
 * test dependency on ArchUnit; this module depends on {@code events} in test scope and imports its main classes
 * (the fixtures under this module's {@code dev.seedloop.events.fixture} are test classes and are left out).
 */
@AnalyzeClasses(packages = { "dev.seedloop.events", "dev.seedloop.queries" },
        importOptions = ImportOption.DoNotIncludeTests.class)
class EventsLayeringTest {

    @ArchTest
    static final ArchTests LAYERING = ArchTests.in(LayeringRules.class);
}
