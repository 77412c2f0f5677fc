package dev.seedloop.implementer;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

import dev.seedloop.layering.LayeringRules;

/** This service's main classes against the shared layering rules (docs/architecture.md, "Layering rules"). */
@AnalyzeClasses(packages = "dev.seedloop.implementer", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchTests LAYERING = ArchTests.in(LayeringRules.class);
}
