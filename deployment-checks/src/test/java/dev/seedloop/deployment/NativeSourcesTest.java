package dev.seedloop.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * What a native image of each service would keep (ADR 0025). Our machines have no native-image, so `verify` runs
 * Quarkus's native build steps with {@code quarkus.native.sources-only=true} into each service's
 * {@code target/native-check/native-sources} (the parent pom's {@code native-sources} execution); this reads what
 * native-image would be given: {@code native-image.args}, the runner jar's generated
 * {@code META-INF/native-image/*-config.json} and the libraries' own configs in {@code lib/}.
 *
 * <p>The expectations are derived, not listed: the event records from the contract's sealed hierarchies as the
 * native sources carry them, the resources from what each jar holds. Nothing here runs a native binary.
 */
class NativeSourcesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final List<String> SERVICES =
            List.of("gateway", "proposer-service", "implementer-service", "evaluator-service", "learner-service");

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "proposer-service", "implementer-service", "evaluator-service",
            "learner-service"})
    void everyContractRecordIsRegisteredForReflection(String service) throws Exception {
        NativeSources sources = NativeSources.of(service);
        Set<String> registered = sources.reflectionRegistered();

        Set<String> contract = sources.contractClosure();

        assertThat(contract).as("the contract's records, as the native sources carry them")
                .contains("dev.seedloop.events.StudyCreated", "dev.seedloop.queries.Query$GetStudy");
        assertThat(registered).as(service + ": contract types registered for reflection").containsAll(contract);
    }

    @Test
    void theGatewayKeepsTheStudySpecSchema() throws IOException {
        NativeSources gateway = NativeSources.of("gateway");
        List<String> schemas = gateway.ownResources("schema/");

        assertThat(schemas).as("the gateway's schemas").contains("schema/study-spec.schema.json");
        assertThat(gateway.resourcesIncluded(schemas)).as("resources native-image keeps").isEqualTo(schemas);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "proposer-service", "implementer-service"})
    void theArtifactStoreMigrationsAreKept(String service) throws IOException {
        NativeSources sources = NativeSources.of(service);
        List<String> scripts = sources.libraryResources("dev.seedloop.artifacts-", "db/artifacts/");

        assertThat(scripts).as("the artifacts module's scripts").isNotEmpty();
        assertThat(sources.library("io.quarkus.quarkus-flyway-"))
                .as("Quarkus's Flyway extension, whose native substitutions answer ArtifactSchema's scan").exists();
        assertThat(sources.resourcesIncluded(scripts)).as(service + ": resources native-image keeps")
                .isEqualTo(scripts);
    }

    @Test
    void theLearnerKeepsItsMigrations() throws IOException {
        NativeSources learner = NativeSources.of("learner-service");
        List<String> scripts = learner.ownResources("db/migration/");

        assertThat(scripts).as("the learner's scripts").isNotEmpty();
        assertThat(learner.resourcesIncluded(scripts)).as("resources native-image keeps").isEqualTo(scripts);
    }

    /**
     * The proposer's model client: LangChain4j's OpenAI module (de)serialises its chat DTOs with Jackson and ships a
     * native-image config for them, and jtokkit reads its encodings as resources. Both configs must reach native-image
     * (the jars in lib/, not excluded by the args) and cover every chat DTO of the version we resolve.
     */
    @Test
    void theProposersModelClientIsRegistered() throws IOException {
        NativeSources proposer = NativeSources.of("proposer-service");
        Path openAi = proposer.library("dev.langchain4j.langchain4j-open-ai-");
        Set<String> registered = new LinkedHashSet<>(proposer.reflectionRegistered());
        registered.addAll(NativeSources.reflectionRegistered(openAi));

        List<String> dtos = NativeSources.classesUnder(openAi, "dev/langchain4j/model/openai/internal/chat/",
                "dev/langchain4j/model/openai/internal/shared/");
        assertThat(dtos).as("the chat DTOs").contains("dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest",
                "dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse");
        assertThat(registered).as("LangChain4j's chat DTOs registered for reflection").containsAll(dtos);
        assertThat(proposer.args()).as("native-image.args").doesNotContain("langchain4j");

        Path jtokkit = proposer.library("com.knuddels.jtokkit-");
        List<String> encodings = NativeSources.entriesUnder(jtokkit, "com/knuddels/jtokkit/").stream()
                .filter(name -> name.endsWith(".tiktoken")).toList();
        assertThat(encodings).isNotEmpty();
        List<Pattern> includes = new ArrayList<>(proposer.resourcePatterns());
        includes.addAll(NativeSources.resourcePatterns(openAi));
        assertThat(encodings).allSatisfy(encoding -> assertThat(includes)
                .as("a resource pattern for " + encoding).anyMatch(p -> p.matcher(encoding).matches()));
    }

    /** One service's {@code target/native-check/native-sources}. */
    private record NativeSources(String service, Path dir, Path runner) {

        private static final String JSON_TYPE_INFO = "com.fasterxml.jackson.annotation.JsonTypeInfo";

        static NativeSources of(String service) {
            Path dir = ROOT.resolve(service).resolve("target/native-check/native-sources");
            if (!Files.isRegularFile(dir.resolve("native-image.args"))) {
                fail(dir + " holds no native-image.args: the parent pom's native-sources execution runs in `./mvnw"
                        + " verify` (not with -Dseedloop.native-sources.skip=true)");
            }
            try (Stream<Path> files = Files.list(dir)) {
                Path runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                        .orElseThrow(() -> new AssertionError("no runner jar in " + dir));
                return new NativeSources(service, dir, runner);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String args() throws IOException {
            return Files.readString(dir.resolve("native-image.args"));
        }

        Path library(String prefix) throws IOException {
            try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
                return jars.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                        .orElseThrow(() -> new AssertionError(service + ": no " + prefix + "*.jar in lib/"));
            }
        }

        Set<String> reflectionRegistered() throws IOException {
            return reflectionRegistered(runner);
        }

        /** Classes a jar's native-image reflection configs register, wherever in META-INF/native-image. */
        static Set<String> reflectionRegistered(Path jar) throws IOException {
            Set<String> names = new LinkedHashSet<>();
            for (Object entry : configs(jar, "reflect-config.json")) {
                names.add((String) ((Map<?, ?>) entry).get("name"));
            }
            return names;
        }

        List<Pattern> resourcePatterns() throws IOException {
            return resourcePatterns(runner);
        }

        static List<Pattern> resourcePatterns(Path jar) throws IOException {
            List<Pattern> patterns = new ArrayList<>();
            for (Object config : configs(jar, "resource-config.json")) {
                Object resources = ((Map<?, ?>) config).get("resources");
                if (resources instanceof Map<?, ?> map && map.get("includes") instanceof List<?> includes) {
                    for (Object include : includes) {
                        patterns.add(Pattern.compile((String) ((Map<?, ?>) include).get("pattern")));
                    }
                }
            }
            return patterns;
        }

        /** Those of {@code resources} some include pattern of the runner's resource config matches. */
        List<String> resourcesIncluded(List<String> resources) throws IOException {
            List<Pattern> patterns = resourcePatterns();
            return resources.stream().filter(r -> patterns.stream().anyMatch(p -> p.matcher(r).matches())).toList();
        }

        /** The service's own resources under {@code folder}, from its compiled classes. */
        List<String> ownResources(String folder) throws IOException {
            Path classes = ROOT.resolve(service).resolve("target/classes");
            try (Stream<Path> files = Files.walk(classes.resolve(folder))) {
                return files.filter(Files::isRegularFile)
                        .map(p -> classes.relativize(p).toString().replace('\\', '/')).sorted().toList();
            }
        }

        List<String> libraryResources(String prefix, String folder) throws IOException {
            return entriesUnder(library(prefix), folder);
        }

        static List<String> entriesUnder(Path jar, String folder) throws IOException {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                return zip.stream().filter(e -> !e.isDirectory() && e.getName().startsWith(folder))
                        .map(ZipEntry::getName).sorted().toList();
            }
        }

        static List<String> classesUnder(Path jar, String... folders) throws IOException {
            List<String> names = new ArrayList<>();
            for (String folder : folders) {
                for (String entry : entriesUnder(jar, folder)) {
                    if (entry.endsWith(".class") && !entry.endsWith("package-info.class")) {
                        names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
                    }
                }
            }
            return names;
        }

        /** Every {@code META-INF/native-image/**}/{@code fileName} in a jar, parsed (JSON is YAML). */
        private static List<Object> configs(Path jar, String fileName) throws IOException {
            List<Object> documents = new ArrayList<>();
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(64 * 1024 * 1024);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry entry : zip.stream().toList()) {
                    if (entry.getName().startsWith("META-INF/native-image/") && entry.getName().endsWith("/" + fileName)) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            Object document = new Yaml(options).load(new String(in.readAllBytes(),
                                    StandardCharsets.UTF_8));
                            if (document instanceof List<?> list) {
                                documents.addAll(list);
                            } else if (document != null) {
                                documents.add(document);
                            }
                        }
                    }
                }
            }
            return documents;
        }

        /**
         * The contract types Jackson reads and writes (records, enums, polymorphic roots with {@code @JsonTypeInfo}),
         * as the native sources carry them, found from the sealed roots
         * ({@code EventPayload}, {@code Query}, {@code StudyOrigin}), their permitted records, every nested type of
         * {@code Views} and {@code PostmortemView}, and every contract type their components name (generic arguments
         * included), transitively. Loaded from the events jar in lib/, so a type added to the contract is expected
         * without touching this test.
         */
        Set<String> contractClosure() throws Exception {
            List<URL> urls = new ArrayList<>();
            try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
                for (Path jar : jars.toList()) {
                    urls.add(jar.toUri().toURL());
                }
            }
            try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new),
                    ClassLoader.getPlatformClassLoader())) {
                Deque<Class<?>> pending = new ArrayDeque<>();
                for (String root : List.of("dev.seedloop.events.EventPayload", "dev.seedloop.queries.Query",
                        "dev.seedloop.queries.QueryReply", "dev.seedloop.events.StudyOrigin")) {
                    pending.add(Class.forName(root, false, loader));
                }
                for (String holder : List.of("dev.seedloop.queries.Views", "dev.seedloop.queries.PostmortemView",
                        "dev.seedloop.queries.StateAtView")) {
                    Class<?> type = Class.forName(holder, false, loader);
                    pending.add(type);
                    pending.addAll(List.of(type.getDeclaredClasses()));
                }
                Set<String> seen = new LinkedHashSet<>();
                Set<String> read = new LinkedHashSet<>();
                while (!pending.isEmpty()) {
                    Class<?> type = pending.pop();
                    if (!type.getName().startsWith("dev.seedloop.") || !seen.add(type.getName())) {
                        continue;
                    }
                    if (type.isRecord() || type.isEnum() || Stream.of(type.getDeclaredAnnotations())
                            .anyMatch(a -> a.annotationType().getName().equals(JSON_TYPE_INFO))) {
                        read.add(type.getName());
                    }
                    if (type.isSealed()) {
                        pending.addAll(List.of(type.getPermittedSubclasses()));
                    }
                    if (type.isRecord()) {
                        for (RecordComponent component : type.getRecordComponents()) {
                            addTypes(component.getGenericType(), pending);
                        }
                    }
                }
                return read;
            }
        }

        private static void addTypes(Type type, Deque<Class<?>> pending) {
            switch (type) {
                case Class<?> c when c.isArray() -> addTypes(c.getComponentType(), pending);
                case Class<?> c -> pending.add(c);
                case ParameterizedType p -> {
                    addTypes(p.getRawType(), pending);
                    for (Type argument : p.getActualTypeArguments()) {
                        addTypes(argument, pending);
                    }
                }
                case GenericArrayType a -> addTypes(a.getGenericComponentType(), pending);
                case WildcardType w -> {
                    for (Type bound : w.getUpperBounds()) {
                        addTypes(bound, pending);
                    }
                }
                default -> {
                }
            }
        }
    }

    @Test
    void everyServiceHasNativeSources() {
        assertThat(SERVICES).allSatisfy(NativeSources::of);
    }
}
