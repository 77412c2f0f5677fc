package dev.seedloop.layering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

import dev.seedloop.events.fixture.UsesJUnit;
import dev.seedloop.events.fixture.UsesJdkAndJackson;
import dev.seedloop.gateway.fixture.GatewayThing;
import dev.seedloop.layering.fixture.domain.OpensSockets;
import dev.seedloop.layering.fixture.domain.PlainJava;
import dev.seedloop.layering.fixture.domain.ReadsFiles;
import dev.seedloop.layering.fixture.domain.StartsProcesses;
import dev.seedloop.layering.fixture.domain.UsesJackson;
import dev.seedloop.layering.fixture.domain.WritesFiles;
import dev.seedloop.layering.fixture.shop.billing.domain.Invoice;
import dev.seedloop.layering.fixture.shop.billing.domain.LoadsRows;
import dev.seedloop.layering.fixture.shop.billing.persistence.InvoiceRows;
import dev.seedloop.layering.fixture.shop.domain.Price;
import dev.seedloop.layering.fixture.shop.domain.UsesBilling;
import dev.seedloop.layering.fixture.shop.misc.Helper;
import dev.seedloop.proposer.fixture.ImportsTheGateway;
import dev.seedloop.proposer.fixture.StaysHome;

/** Each rule fails on a fixture that breaks it and passes on one that keeps it: none of them can pass vacuously. */
class LayeringRulesTest {

    @Test
    void aServiceUsingAnotherServiceFails() {
        EvaluationResult result = evaluate(LayeringRules.servicesDoNotImportEachOther(),
                ImportsTheGateway.class, GatewayThing.class);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(line -> line.contains(ImportsTheGateway.class.getName())
                        && line.contains(GatewayThing.class.getName()));
    }

    @Test
    void aServiceKeepingToItselfPasses() {
        assertThat(evaluate(LayeringRules.servicesDoNotImportEachOther(), StaysHome.class, GatewayThing.class)
                .hasViolation()).isFalse();
    }

    @Test
    void domainUsingAFrameworkFails() {
        EvaluationResult result = evaluate(LayeringRules.domainIsFrameworkFree(List.of()), UsesJackson.class);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(line -> line.contains("com.fasterxml.jackson.databind.ObjectMapper"));
    }

    @Test
    void aKnownViolationIsToleratedOnlyForItsOriginAndTarget() {
        KnownViolation known = new KnownViolation(UsesJackson.class.getName(), "com.fasterxml.jackson", "fixture");
        KnownViolation otherTarget = new KnownViolation(UsesJackson.class.getName(), "io.quarkus", "fixture");
        KnownViolation otherOrigin = new KnownViolation(PlainJava.class.getName(), "com.fasterxml.jackson", "fixture");

        assertThat(evaluate(LayeringRules.domainIsFrameworkFree(List.of(known)), UsesJackson.class)
                .hasViolation()).isFalse();
        assertThat(evaluate(LayeringRules.domainIsFrameworkFree(List.of(otherTarget, otherOrigin)), UsesJackson.class)
                .hasViolation()).isTrue();
    }

    @Test
    void domainDoingIoFails() {
        for (Class<?> io : List.of(ReadsFiles.class, WritesFiles.class, OpensSockets.class, StartsProcesses.class)) {
            assertThat(evaluate(LayeringRules.domainDoesNoIo(List.of()), io).hasViolation())
                    .as(io.getSimpleName())
                    .isTrue();
        }
    }

    @Test
    void plainDomainCodePassesBothDomainRules() {
        assertThat(evaluate(LayeringRules.domainDoesNoIo(List.of()), PlainJava.class).hasViolation()).isFalse();
        assertThat(evaluate(LayeringRules.domainIsFrameworkFree(List.of()), PlainJava.class).hasViolation())
                .isFalse();
    }

    @Test
    void theContractUsingAnythingButJdkAndJacksonFails() {
        EvaluationResult result = evaluate(LayeringRules.contractUsesOnlyJdkAndJackson(), UsesJUnit.class);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anyMatch(line -> line.contains("org.junit"));
    }

    @Test
    void theContractUsingJdkAndJacksonPasses() {
        assertThat(evaluate(LayeringRules.contractUsesOnlyJdkAndJackson(), UsesJdkAndJackson.class).hasViolation())
                .isFalse();
    }

    @Test
    void aKnownViolationThatNoLongerOccursIsReportedAsStale() {
        KnownViolation fixed = new KnownViolation(PlainJava.class.getName(), "com.fasterxml.jackson", "fixture");
        KnownViolation current = new KnownViolation(UsesJackson.class.getName(), "com.fasterxml.jackson", "fixture");
        KnownViolation otherModule = new KnownViolation("dev.seedloop.learner.domain.Gone", "com.fasterxml.jackson",
                "fixture");
        JavaClasses imported = new ClassFileImporter().importClasses(PlainJava.class, UsesJackson.class);

        assertThat(LayeringRules.staleKnownViolations(imported, List.of(fixed, current, otherModule)))
                .containsExactly(PlainJava.class.getName());
    }

    @Test
    void everyKnownViolationNamesAClassInADomainPackageAndAReason() {
        assertThat(LayeringRules.KNOWN_DOMAIN_VIOLATIONS).allSatisfy(known -> {
            assertThat(known.origin()).contains(".domain.");
            assertThat(known.why()).isNotBlank();
        });
    }

    private static final String SHOP = "dev.seedloop.layering.fixture.shop";

    @Test
    void aClassOutsideEveryLayerFails() {
        EvaluationResult result = evaluate(LayeringRules.classesLiveInLayers(SHOP, List.of("billing")), Helper.class);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anyMatch(line -> line.contains(Helper.class.getName()));
    }

    @Test
    void classesInTheRootsAndTheJobsLayersPass() {
        assertThat(evaluate(LayeringRules.classesLiveInLayers(SHOP, List.of("billing")), Price.class, Invoice.class,
                InvoiceRows.class, LoadsRows.class).hasViolation()).isFalse();
        // A job not named is no layer: its classes fail.
        assertThat(evaluate(LayeringRules.classesLiveInLayers(SHOP, List.of()), Invoice.class).hasViolation())
                .isTrue();
    }

    @Test
    void domainUsingAnOuterLayerFails() {
        EvaluationResult result = evaluate(LayeringRules.domainUsesNoOuterLayer(SHOP), LoadsRows.class,
                InvoiceRows.class);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(line -> line.contains(LoadsRows.class.getName()) && line.contains(InvoiceRows.class.getName()));
    }

    @Test
    void outerLayersUsingDomainPass() {
        assertThat(evaluate(LayeringRules.domainUsesNoOuterLayer(SHOP), InvoiceRows.class, Invoice.class,
                Price.class).hasViolation()).isFalse();
    }

    @Test
    void theRootDomainUsingAJobFails() {
        EvaluationResult result = evaluate(LayeringRules.rootDomainUsesNoJob(SHOP, List.of("billing")),
                UsesBilling.class, Invoice.class);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(line -> line.contains(UsesBilling.class.getName()) && line.contains(Invoice.class.getName()));
    }

    @Test
    void aJobUsingTheRootDomainPasses() {
        assertThat(evaluate(LayeringRules.rootDomainUsesNoJob(SHOP, List.of("billing")), Invoice.class, Price.class)
                .hasViolation()).isFalse();
    }

    private static EvaluationResult evaluate(ArchRule rule, Class<?>... classes) {
        JavaClasses imported = new ClassFileImporter().importClasses(classes);
        return rule.evaluate(imported);
    }
}
