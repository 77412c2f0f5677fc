package dev.seedloop.learner;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

import dev.seedloop.layering.LayeringRules;

/**
 * This service's main classes against the shared layering rules (docs/architecture.md, "Layering rules"), and the
 * learner's cut by its jobs ("The learner's cut"): the study decider in the root layers, the event store, the
 * projections and the queries each in a package of their own with the same layers inside.
 */
@AnalyzeClasses(packages = "dev.seedloop.learner", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    private static final String LEARNER = "dev.seedloop.learner";

    /** The learner's jobs besides the study decider, which keeps the service's root layers. */
    private static final List<String> JOBS = List.of("store", "projection", "query");

    @ArchTest
    static final ArchTests LAYERING = ArchTests.in(LayeringRules.class);

    @ArchTest
    static void everyClassLivesInALayerOfTheDeciderOrOfAJob(JavaClasses classes) {
        LayeringRules.classesLiveInLayers(LEARNER, JOBS).check(classes);
    }

    @ArchTest
    static void domainUsesNoOuterLayer(JavaClasses classes) {
        LayeringRules.domainUsesNoOuterLayer(LEARNER).check(classes);
    }

    @ArchTest
    static void theDecidersDomainUsesNoJob(JavaClasses classes) {
        LayeringRules.rootDomainUsesNoJob(LEARNER, JOBS).check(classes);
    }
}
