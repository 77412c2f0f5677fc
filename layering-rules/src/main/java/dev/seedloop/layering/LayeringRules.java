package dev.seedloop.layering;

import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * The layering the build enforces (docs/architecture.md, "Layering rules"). Each module applies all of them with
 * one test:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "dev.seedloop.proposer", importOptions = ImportOption.DoNotIncludeTests.class)
 * class LayeringTest {
 *     @ArchTest
 *     static final ArchTests LAYERING = ArchTests.in(LayeringRules.class);
 * }
 * }</pre>
 *
 * A rule whose subject is absent from a module (the contract rule in a service, say) passes there; {@link
 * #importedSomething} makes sure a misspelt package in a module's test cannot pass by importing nothing.
 * Dependencies that break a rule today are tolerated one by one in {@link #KNOWN_DOMAIN_VIOLATIONS}; anything
 * else fails the build.
 */
public final class LayeringRules {

    /** The root package of each of the five services; a service talks to another only through Kafka. */
    public static final List<String> SERVICE_PACKAGES = List.of(
            "dev.seedloop.gateway",
            "dev.seedloop.proposer",
            "dev.seedloop.implementer",
            "dev.seedloop.evaluator",
            "dev.seedloop.learner");

    /** The event contract's packages (module {@code events}). */
    public static final List<String> CONTRACT_PACKAGES = List.of("dev.seedloop.events", "dev.seedloop.queries");

    /** Frameworks and infrastructure clients that {@code domain} code must not see. */
    public static final List<String> FRAMEWORK_PACKAGES = List.of(
            "io.quarkus",
            "jakarta",
            "io.smallrye",
            "org.eclipse.microprofile",
            "io.vertx",
            "org.hibernate",
            "org.apache.kafka",
            "io.agroal",
            "org.flywaydb",
            "com.fasterxml.jackson");

    /**
     * Frozen: today's {@code domain} dependencies on a framework or on I/O. Shrink it when code moves out of
     * {@code domain}; never grow it (a new entry needs a reason here and in the issue that removes it).
     */
    public static final List<KnownViolation> KNOWN_DOMAIN_VIOLATIONS = List.of();

    /**
     * The house-style layers (docs/architecture.md, STYLE.md "Inside a service"): a service's classes live in these
     * packages, at its root or inside one of its jobs.
     */
    public static final List<String> LAYERS = List.of("api", "application", "config", "domain", "messaging",
            "persistence");

    /** The layers {@code domain} must not use: everything but itself. */
    private static final List<String> OUTER_LAYERS = LAYERS.stream().filter(layer -> !layer.equals("domain"))
            .toList();

    /** Touches a file, a socket, a database or a process. Declared before the rules that use it. */
    private static final DescribedPredicate<Dependency> IO = DescribedPredicate.describe("does I/O", dependency -> {
        JavaClass target = dependency.getTargetClass();
        String pkg = target.getPackageName();
        String name = target.getName();
        return (pkg.equals("java.io") && target.getSimpleName().startsWith("File"))
                || name.equals("java.nio.file.Files")
                || pkg.equals("java.net") || pkg.startsWith("java.net.")
                || pkg.equals("java.sql") || pkg.startsWith("java.sql.")
                || name.equals("java.lang.ProcessBuilder") || name.startsWith("java.lang.ProcessBuilder$");
    });

    private LayeringRules() {
    }

    // The rules run as @ArchTest methods, not fields: Surefire's -Dtest filter keeps only tests with a method
    // source, so rule fields would silently not run under `-Dtest=LayeringTest`.

    @ArchTest
    public static void servicesDoNotImportEachOther(JavaClasses classes) {
        servicesDoNotImportEachOther().check(classes);
    }

    @ArchTest
    public static void domainIsFrameworkFree(JavaClasses classes) {
        domainIsFrameworkFree(KNOWN_DOMAIN_VIOLATIONS).check(classes);
    }

    @ArchTest
    public static void domainDoesNoIo(JavaClasses classes) {
        domainDoesNoIo(KNOWN_DOMAIN_VIOLATIONS).check(classes);
    }

    @ArchTest
    public static void contractUsesOnlyJdkAndJackson(JavaClasses classes) {
        contractUsesOnlyJdkAndJackson().check(classes);
    }

    /** Fails when the module's test imported no class: its {@code @AnalyzeClasses} names the wrong package. */
    @ArchTest
    public static void importedSomething(JavaClasses classes) {
        if (!classes.iterator().hasNext()) {
            throw new AssertionError("LayeringTest imported no classes: check @AnalyzeClasses(packages = ...)");
        }
    }

    /**
     * Fails when a {@link #KNOWN_DOMAIN_VIOLATIONS} entry of this module no longer matches a dependency (its class
     * moved, was renamed or was fixed): the entry must then be deleted, so the list only shrinks.
     */
    @ArchTest
    public static void knownViolationsStillExist(JavaClasses classes) {
        List<String> stale = staleKnownViolations(classes, KNOWN_DOMAIN_VIOLATIONS);
        if (!stale.isEmpty()) {
            throw new AssertionError("Known layering violations that no longer occur; delete them from "
                    + "LayeringRules.KNOWN_DOMAIN_VIOLATIONS: " + stale);
        }
    }

    /**
     * The origins of the {@code known} entries that belong to the module {@code classes} come from (an imported
     * class shares the entry's service package) but match none of its dependencies.
     */
    public static List<String> staleKnownViolations(JavaClasses classes, List<KnownViolation> known) {
        return known.stream()
                .filter(k -> classes.stream().anyMatch(c -> servicePackageOf(c.getName()).equals(servicePackageOf(k.origin()))))
                .filter(k -> classes.stream().flatMap(c -> c.getDirectDependenciesFromSelf().stream()).noneMatch(k::covers))
                .map(KnownViolation::origin)
                .toList();
    }

    private static String servicePackageOf(String className) {
        String[] parts = className.split("\\.");
        return parts.length > 2 ? parts[0] + "." + parts[1] + "." + parts[2] : className;
    }

    /** No class of one service depends on a class of another service. */
    public static ArchRule servicesDoNotImportEachOther() {
        List<ArchRule> perService = SERVICE_PACKAGES.stream()
                .map(service -> (ArchRule) noClasses()
                        .that().resideInAPackage(service + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(SERVICE_PACKAGES.stream()
                                .filter(other -> !other.equals(service))
                                .map(other -> other + "..")
                                .toArray(String[]::new))
                        .allowEmptyShould(true))
                .toList();
        return CompositeArchRule.of(perService)
                .as("no service imports another service's packages")
                .because("services talk only through Kafka events")
                .allowEmptyShould(true);
    }

    /** {@code ..domain..} classes use no framework, except the named {@code known} dependencies. */
    public static ArchRule domainIsFrameworkFree(List<KnownViolation> known) {
        return classes().that().resideInAPackage("..domain..")
                .should(onlyHaveDependenciesWhere(tolerated(targetIn(FRAMEWORK_PACKAGES), known)))
                .as("domain code uses no framework (" + String.join(", ", FRAMEWORK_PACKAGES) + ")")
                .because("domain is plain Java, testable and replayable without a container")
                .allowEmptyShould(true);
    }

    /** {@code ..domain..} classes touch no file, socket, database or process, except the named {@code known}. */
    public static ArchRule domainDoesNoIo(List<KnownViolation> known) {
        return classes().that().resideInAPackage("..domain..")
                .should(onlyHaveDependenciesWhere(tolerated(IO, known)))
                .as("domain code does no I/O (java.io.File*, java.nio.file.Files, java.net, java.sql, ProcessBuilder)")
                .because("replaying the same events must give the same state")
                .allowEmptyShould(true);
    }

    /** The contract depends on nothing but the JDK, Jackson and itself. */
    public static ArchRule contractUsesOnlyJdkAndJackson() {
        String[] contract = CONTRACT_PACKAGES.stream().map(p -> p + "..").toArray(String[]::new);
        String[] allowed = java.util.stream.Stream.concat(
                        java.util.stream.Stream.of("java..", "com.fasterxml.jackson.."),
                        CONTRACT_PACKAGES.stream().map(p -> p + ".."))
                .toArray(String[]::new);
        return classes().that().resideInAnyPackage(contract)
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
                .as("the event contract depends only on the JDK, Jackson and its own packages")
                .because("every service compiles against it; a framework type there would bind them all to it")
                .allowEmptyShould(true);
    }

    /**
     * Every class of {@code service} lives in a layer ({@link #LAYERS}), either at the service's root
     * ({@code <service>.<layer>..}) or inside one of its {@code jobs} ({@code <service>.<job>.<layer>..}): a service
     * cut by its jobs keeps the same layers in each. Not applied to every module: a service opts in from its
     * {@code LayeringTest} with the jobs it is cut into (the learner's: store, projection, query).
     */
    public static ArchRule classesLiveInLayers(String service, List<String> jobs) {
        String[] layered = Stream.concat(Stream.of(service), jobs.stream().map(job -> service + "." + job))
                .flatMap(root -> LAYERS.stream().map(layer -> root + "." + layer + ".."))
                .toArray(String[]::new);
        return classes().that().resideInAPackage(service + "..")
                .should().resideInAnyPackage(layered)
                .as("every class of " + service + " lives in a layer (" + String.join(", ", LAYERS) + ") at its root or"
                        + " in one of its jobs (" + String.join(", ", jobs) + ")")
                .because("each job keeps the house-style layers, so a class's package says both its job and its layer")
                .allowEmptyShould(true);
    }

    /**
     * No {@code ..domain..} class of {@code service} uses the service's other layers (api, application, config,
     * messaging, persistence), at its root or in a job: domain is the inside, everything else depends on it.
     */
    public static ArchRule domainUsesNoOuterLayer(String service) {
        return noClasses().that().resideInAPackage(service + "..").and().resideInAPackage("..domain..")
                .should().dependOnClassesThat().resideInAnyPackage(OUTER_LAYERS.stream()
                        .map(layer -> service + ".." + layer + "..").toArray(String[]::new))
                .as("domain code of " + service + " uses none of its " + String.join(", ", OUTER_LAYERS) + " classes")
                .because("domain is the inside of a service: the other layers use it, never the other way round")
                .allowEmptyShould(true);
    }

    /**
     * The domain at the service's root ({@code <service>.domain..}, the learner's study decider) uses none of its
     * {@code jobs}: the jobs are built on it, so it must not know them.
     */
    public static ArchRule rootDomainUsesNoJob(String service, List<String> jobs) {
        return noClasses().that().resideInAPackage(service + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(jobs.stream().map(job -> service + "." + job + "..")
                        .toArray(String[]::new))
                .as(service + ".domain uses none of the jobs " + String.join(", ", jobs))
                .because("the jobs are built on the root domain; a dependency back would tie it to one of them")
                .allowEmptyShould(true);
    }

    private static DescribedPredicate<Dependency> targetIn(List<String> packages) {
        return DescribedPredicate.describe("uses " + String.join(", ", packages), dependency -> {
            String pkg = dependency.getTargetClass().getPackageName();
            return packages.stream().anyMatch(p -> pkg.equals(p) || pkg.startsWith(p + "."));
        });
    }

    private static DescribedPredicate<Dependency> tolerated(DescribedPredicate<Dependency> forbidden,
            List<KnownViolation> known) {
        return DescribedPredicate.describe("not " + forbidden.getDescription() + " (or a known violation)",
                dependency -> !forbidden.test(dependency) || known.stream().anyMatch(k -> k.covers(dependency)));
    }
}
