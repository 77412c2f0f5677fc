package dev.seedloop.proposer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.InMemoryRecordedAnswers;
import dev.seedloop.proposer.model.ClientLimits;
import dev.seedloop.proposer.model.ModelEndpoint;
import dev.seedloop.proposer.model.OpenAiCompatibleLanguageModel;
import dev.seedloop.artifacts.BlobRef;
import dev.seedloop.artifacts.Change;
import dev.seedloop.artifacts.InMemoryArtifactStore;
import dev.seedloop.artifacts.Patches;
import dev.seedloop.artifacts.ProtectedPaths;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.Observation;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StrategyNames;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;
import dev.seedloop.events.Verdict;
import dev.seedloop.events.WorkspaceRef;
import dev.seedloop.proposer.domain.Proposer;
import dev.seedloop.testsupport.ScriptedChatServer;

/**
 * The llm strategy's flow for one request, against an in-memory artifact store and a scripted model: what is asked,
 * and which events come of each answer.
 */
class LlmProposalsTest {

    static final String SOLVE = """
            import sys

            # EVOLVE-BLOCK-START
            def priority(item, bin):
                return 1
            # EVOLVE-BLOCK-END

            print(priority(1, 2))
            """;
    static final String EVALUATE = "print('score')\n";
    static final String GOOD_ANSWER = """
            Prefer fuller bins.

            solve.py
            <<<<<<< SEARCH
                return 1
            =======
                return bin - item
            >>>>>>> REPLACE
            """;
    static final Instant NOW = Instant.parse("2026-12-03T13:00:00Z");

    final InMemoryArtifactStore store = new InMemoryArtifactStore();
    final ExecutorService calls = Executors.newFixedThreadPool(2);
    final ScriptedModel model = new ScriptedModel();
    final String workspace = tree(Map.of("solve.py", SOLVE, "evaluate.py", EVALUATE));

    @AfterEach
    void stop() {
        calls.shutdownNow();
    }

    @Test
    void aValidEditBecomesAProposalWhoseDiffsApplyToItsParent() {
        model.answer = request -> GOOD_ANSWER;
        EventEnvelope study = study(Map.of());
        EventEnvelope request = request(study, 0, 1, List.of());

        List<EventEnvelope> events = proposals(study, request);

        assertThat(events).extracting(e -> e.payload().getClass().getSimpleName())
                .containsExactly("ModelCallCompleted", "ProposalCreated");
        assertThat(events).allSatisfy(e -> assertThat(e.causationId()).isEqualTo(request.eventId()));
        ModelCallCompleted call = (ModelCallCompleted) events.get(0).payload();
        ProposalCreated created = (ProposalCreated) events.get(1).payload();
        assertThat(created.strategy()).isEqualTo(StrategyNames.LLM);
        assertThat(created.operator()).isEqualTo("mutate@small/default").isEqualTo(call.operator());
        assertThat(created.parentTree()).isEqualTo(workspace);
        assertThat(created.parents()).isEmpty();
        assertThat(call.proposalId()).isEqualTo(created.proposalId())
                .isEqualTo(Proposer.proposalId(request, 0));
        assertThat(call.model()).isEqualTo("small");
        assertThat(call.template()).isEqualTo("default");
        assertThat(call.promptHash()).isEqualTo(model.asked.getFirst().promptHash);
        assertThat(created.patches()).singleElement().satisfies(p -> assertThat(p.diff()).contains("+    return bin - item"));

        Tree child = new Patches(store, ProtectedPaths.of(List.of("evaluate.py")))
                .apply(store.tree(workspace).orElseThrow(), Change.of(created.patches()));
        assertThat(text(child, "solve.py")).isEqualTo(SOLVE.replace("return 1", "return bin - item"));
        assertThat(text(child, "evaluate.py")).isEqualTo(EVALUATE);

        ModelRequest asked = model.asked.getFirst().request;
        assertThat(asked.team()).isEqualTo(study.team());
        assertThat(asked.sampleKey()).isEqualTo("424242:0:mutate");
        assertThat(asked.user()).contains("def priority(item, bin):", "solve.py: between EVOLVE-BLOCK-START");
        assertThat(asked.user()).doesNotContain("evaluate.py: ");
    }

    @Test
    void anAnswerWithoutEditsIsRejectedWithTheInterpretersReason() {
        model.answer = request -> "I would rather not change anything.";
        EventEnvelope study = study(Map.of());

        List<EventEnvelope> events = proposals(study, request(study, 0, 1, List.of()));

        assertThat(events).extracting(e -> e.payload().getClass().getSimpleName())
                .containsExactly("ModelCallCompleted", "ProposalRejected");
        assertThat(((ModelCallCompleted) events.get(0).payload()).answered()).isTrue();
        assertThat(((ProposalRejected) events.get(1).payload()).reason()).isNotBlank();
    }

    @Test
    void anEditOfAProtectedFileIsRejectedNamingIt() {
        model.answer = request -> """
                evaluate.py
                <<<<<<< SEARCH
                print('score')
                =======
                print('100')
                >>>>>>> REPLACE
                """;
        EventEnvelope study = study(Map.of());

        List<EventEnvelope> events = proposals(study, request(study, 0, 1, List.of()));

        ProposalRejected rejected = (ProposalRejected) events.getLast().payload();
        assertThat(rejected.violations()).contains("evaluate.py");
    }

    @Test
    void aFailedCallIsAnEventAndFailsOnlyItsProposal() {
        model.answer = request -> request.sampleKey().contains(":0:") ? null : GOOD_ANSWER;
        EventEnvelope study = study(Map.of());

        List<EventEnvelope> events = proposals(study, request(study, 0, 2, List.of()));

        assertThat(events).extracting(e -> e.payload().getClass().getSimpleName()).containsExactly(
                "ModelCallCompleted", "ProposalRejected", "ModelCallCompleted", "ProposalCreated");
        ModelCallCompleted failed = (ModelCallCompleted) events.get(0).payload();
        assertThat(failed.failure()).isEqualTo("HTTP 503 after 3 attempts");
        assertThat(failed.answerHash()).isNull();
        ProposalRejected rejected = (ProposalRejected) events.get(1).payload();
        assertThat(rejected.reason()).isEqualTo("the model call failed");
        assertThat(rejected.violations()).containsExactly("HTTP 503 after 3 attempts");
        assertThat(((ProposalCreated) events.get(3).payload()).ordinal()).isEqualTo(1);
    }

    @Test
    void aChildLikeASiblingIsNotNovel() {
        model.answer = request -> GOOD_ANSWER;
        EventEnvelope study = study(Map.of());

        List<EventEnvelope> events = proposals(study, request(study, 0, 2, List.of()));

        assertThat(events.get(1).payload()).isInstanceOf(ProposalCreated.class);
        ProposalRejected second = (ProposalRejected) events.get(3).payload();
        assertThat(second.reason()).startsWith("not novel").contains("sibling proposal #0");
    }

    @Test
    void noveltyComparesWhatTheModelMayEditNotTheFixedHarness() {
        String harness = "print('judge')\n".repeat(300);
        EventEnvelope study = study(Map.of(), tree(Map.of("solve.py", SOLVE, "evaluate.py", harness)));
        model.answer = request -> request.sampleKey().contains(":0:") ? GOOD_ANSWER
                : GOOD_ANSWER.replace("bin - item", "item * 2");

        List<EventEnvelope> events = proposals(study, request(study, 0, 2, List.of()));

        // Whole trees would be over 0.99 alike (300 equal harness lines); the editable files differ in one of 9.
        assertThat(events).extracting(e -> e.payload().getClass().getSimpleName()).containsExactly(
                "ModelCallCompleted", "ProposalCreated", "ModelCallCompleted", "ProposalCreated");
    }

    @Test
    void aChildWhoseCodeWasEvaluatedAlreadyIsNotNovel() {
        model.answer = request -> GOOD_ANSWER;
        EventEnvelope study = study(Map.of());
        String evaluated = tree(Map.of("solve.py", SOLVE.replace("return 1", "return bin - item"),
                "evaluate.py", EVALUATE));
        Observation failed = new Observation(UUID.randomUUID(), 0, "mutate@small/default", Map.of(), null, evaluated,
                List.of(), "Traceback ...", "exit code 1");

        List<EventEnvelope> events = proposals(study, request(study, 1, 1, List.of(failed)));

        assertThat(model.asked.getFirst().request.sampleKey()).as("nothing valid yet: the seed is fixed")
                .isEqualTo("424242:1:fix");
        ProposalRejected rejected = (ProposalRejected) events.getLast().payload();
        assertThat(rejected.reason()).startsWith("not novel").contains("proposal #0");
        assertThat(rejected.violations()).containsExactly(evaluated);
    }

    @Test
    void aRedeliveredRequestGivesTheSameEventIdsAndOnlyWhatIsMissing() {
        model.answer = request -> request.sampleKey().contains(":0:") ? GOOD_ANSWER
                : GOOD_ANSWER.replace("bin - item", "item * 2");
        EventEnvelope study = study(Map.of());
        EventEnvelope request = request(study, 0, 2, List.of());

        List<EventEnvelope> first = proposals(study, request);
        List<EventEnvelope> again = new LlmProposals(store, model, calls).proposalsFor(request,
                (StudyCreated) study.payload(), NOW.plusSeconds(60), ordinal -> ordinal == 1);

        assertThat(first).hasSize(4);
        assertThat(again).extracting(EventEnvelope::eventId).containsExactlyElementsOf(
                first.subList(2, 4).stream().map(EventEnvelope::eventId).toList());
        assertThat(again).extracting(EventEnvelope::payload).containsExactlyElementsOf(
                first.subList(2, 4).stream().map(EventEnvelope::payload).toList());
    }

    @Test
    void aParentTreeTheTeamDoesNotOwnIsNeverShownToTheModel() {
        model.answer = request -> GOOD_ANSWER;
        String foreign = tree(Map.of("solve.py", "secret = 1\n"), "another-team");
        EventEnvelope study = study(Map.of(), foreign);

        List<EventEnvelope> events = proposals(study, request(study, 0, 1, List.of()));

        assertThat(model.asked).isEmpty();
        assertThat(events).singleElement().satisfies(e -> assertThat(((ProposalRejected) e.payload()).reason())
                .contains("not the team's"));
    }

    @Test
    void withoutAModelClientEveryCallFailsVisibly() {
        LanguageModel none = new OpenAiCompatibleLanguageModel(List.of(), new ClientLimits(1, Duration.ofSeconds(1),
                Duration.ofMillis(1), Duration.ofMillis(1), 1000, false), store, new InMemoryRecordedAnswers());
        EventEnvelope study = study(Map.of());

        List<EventEnvelope> events = new LlmProposals(store, none, calls).proposalsFor(request(study, 0, 1, List.of()),
                (StudyCreated) study.payload(), NOW, ordinal -> true);

        ModelCallCompleted call = (ModelCallCompleted) events.getFirst().payload();
        assertThat(call.model()).isEqualTo("none");
        assertThat(call.failure()).startsWith(OpenAiCompatibleLanguageModel.NO_MODEL);
        assertThat(((ProposalRejected) events.getLast().payload()).violations())
                .singleElement().asString().startsWith(OpenAiCompatibleLanguageModel.NO_MODEL);
    }

    @Test
    void aStudysOwnTemplateFileFromItsWorkspaceIsTheQuestion() {
        model.answer = request -> GOOD_ANSWER;
        String withTemplate = tree(Map.of("solve.py", SOLVE, "evaluate.py", EVALUATE,
                "prompts/terse.txt", "Make {{study}} better.\n{{parent}}\n{{format}}\n"));
        EventEnvelope study = study(Map.of("templates", "terse", "template-file.terse", "prompts/terse.txt"),
                withTemplate);

        List<EventEnvelope> events = proposals(study, request(study, 0, 1, List.of()));

        assertThat(((ProposalCreated) events.getLast().payload()).operator()).isEqualTo("mutate@small/terse");
        assertThat(model.asked.getFirst().request.user()).startsWith("Make ## Study").doesNotContain("## Task");
    }

    /**
     * Forking an llm study (ADR 0023 "Forks and replays"), with the real client in front of a real chat-completions
     * server whose request counter is the proof: the source's decisions up to the fork point are made again, by a
     * same-seed study under replay-only, from the record alone (no request reaches the server, every call says
     * {@code replayed}, the proposals are the same); the fork's own proposals, which build on what it inherited, are new
     * calls: the record does not hold them (replay-only fails them) and asking the model reaches the server.
     */
    @Test
    void aForkNeedsNoCallForWhatItInheritsAndAsksAfreshAfterTheForkPoint() {
        try (ScriptedChatServer server = ScriptedChatServer.start()) {
            AtomicInteger answered = new AtomicInteger();
            // Each answer edits the return line of the program it is asked to edit, into one not seen before.
            Pattern parentReturn = Pattern.compile("\\(your edits apply to it\\)[\\s\\S]*?\\n(    return [^\\n]*)\\n");
            server.answerWith(call -> {
                Matcher current = parentReturn.matcher(call.prompt());
                assertThat(current.find()).as(call.prompt()).isTrue();
                return ScriptedChatServer.Reply.answer("Weigh it.\n\nsolve.py\n<<<<<<< SEARCH\n" + current.group(1)
                        + "\n=======\n    return bin - item * " + answered.incrementAndGet() + "\n>>>>>>> REPLACE\n");
            });
            InMemoryRecordedAnswers records = new InMemoryRecordedAnswers();
            LlmProposals live = new LlmProposals(store, client(server, records, false), calls);
            LlmProposals replayOnly = new LlmProposals(store, client(server, records, true), calls);
            EventEnvelope source = study(Map.of("crossover-rate", "0"));

            List<EventEnvelope> made = live.proposalsFor(request(source, 0, 2, List.of()),
                    (StudyCreated) source.payload(), NOW, ordinal -> true);
            assertThat(server.requestCount()).isEqualTo(2);
            List<ProposalCreated> decided = payloads(made, ProposalCreated.class);
            assertThat(decided).hasSize(2);

            // Up to the fork point: the same decisions again from the record, no request.
            EventEnvelope sameSeed = new EventEnvelope(UUID.randomUUID(), SampleEvents.newStudyId(), source.team(),
                    source.occurredAt(), null, source.correlationId(), source.producer(), source.payload());
            List<EventEnvelope> again = replayOnly.proposalsFor(request(sameSeed, 0, 2, List.of()),
                    (StudyCreated) sameSeed.payload(), NOW.plusSeconds(60), ordinal -> true);
            assertThat(server.requestCount()).as("requests after the replay up to the fork point").isEqualTo(2);
            assertThat(payloads(again, ModelCallCompleted.class)).hasSize(2).allSatisfy(c -> {
                assertThat(c.replayed()).isTrue();
                assertThat(c.billedCostUsd()).isZero();
            });
            assertThat(payloads(again, ProposalCreated.class)).extracting(ProposalCreated::ordinal,
                    ProposalCreated::operator, ProposalCreated::patches, ProposalCreated::parentTree)
                    .containsExactlyElementsOf(decided.stream().map(p -> org.assertj.core.groups.Tuple.tuple(
                            p.ordinal(), p.operator(), p.patches(), p.parentTree())).toList());

            // The fork inherits both evaluated proposals with the code they ran (as the learner sends them) and
            // asks for its own.
            Patches patches = new Patches(store, ProtectedPaths.of(List.of("evaluate.py")));
            List<String> ran = new ArrayList<>();
            for (ProposalCreated p : decided) {
                // As the implementer leaves it: the child tree stored and the team's.
                Tree child = patches.apply(store.tree(p.parentTree()).orElseThrow(), Change.of(p.patches()));
                store.putTree(child);
                store.grant(source.team(), child.hash());
                ran.add(child.hash());
            }
            List<StudyOrigin.Proposal> inherited = List.of(
                    new StudyOrigin.Proposal(decided.get(0).proposalId(), 0, decided.get(0).operator(), List.of(),
                            Map.of(), Verdict.NEW_CHAMPION, 0.40, ran.get(0)),
                    new StudyOrigin.Proposal(decided.get(1).proposalId(), 1, decided.get(1).operator(), List.of(),
                            Map.of(), Verdict.NEW_CHAMPION, 0.30, ran.get(1)));
            StudyCreated forked = ((StudyCreated) source.payload()).forkedFrom(new StudyOrigin(source.studyId(), 7,
                    decided.get(1).proposalId(), 0.30, inherited, 0));
            EventEnvelope fork = new EventEnvelope(UUID.randomUUID(), SampleEvents.newStudyId(), source.team(),
                    NOW, null, source.correlationId(), source.producer(), forked);
            List<Observation> history = inherited.stream().map(StudyOrigin.Proposal::observation).toList();
            EventEnvelope forkRequest = request(fork, 0, 2, history);

            List<EventEnvelope> unrecorded = replayOnly.proposalsFor(forkRequest, forked, NOW, ordinal -> true);
            assertThat(payloads(unrecorded, ModelCallCompleted.class)).as("the record holds no answer for them")
                    .hasSize(2).allSatisfy(c -> assertThat(c.failure())
                            .startsWith(OpenAiCompatibleLanguageModel.REPLAY_ONLY_MISS));
            assertThat(server.requestCount()).isEqualTo(2);

            List<EventEnvelope> afterFork = live.proposalsFor(forkRequest, forked, NOW, ordinal -> true);
            assertThat(server.requestCount()).as("the fork's own proposals are new calls").isEqualTo(4);
            assertThat(payloads(afterFork, ModelCallCompleted.class)).hasSize(2).allSatisfy(c -> {
                assertThat(c.replayed()).isFalse();
                assertThat(c.answered()).isTrue();
            });
            assertThat(payloads(afterFork, ProposalCreated.class)).hasSize(2).allSatisfy(p -> {
                assertThat(p.proposalId()).isEqualTo(Proposer.proposalId(forkRequest, p.ordinal()));
                assertThat(p.parents()).as("built on what the fork inherited").isNotEmpty()
                        .isSubsetOf(decided.stream().map(ProposalCreated::proposalId).toList());
                assertThat(p.parentTree()).as("editing the code it ran").isIn(ran);
            });
            assertThat(server.requests().subList(2, 4)).allSatisfy(call -> assertThat(call.prompt())
                    .as("the inherited attempts are shown").contains("proposal #0", "proposal #1"));
        }
    }

    private OpenAiCompatibleLanguageModel client(ScriptedChatServer server, InMemoryRecordedAnswers records,
            boolean replayOnly) {
        return new OpenAiCompatibleLanguageModel(List.of(new ModelEndpoint("small", server.baseUrl(), "vendor-small",
                "sk-test", 1.0, 2.0, 8.0, 512)), new ClientLimits(1, Duration.ofSeconds(10), Duration.ofMillis(1),
                Duration.ofMillis(1), 10_000, replayOnly), store, records);
    }

    private static <T> List<T> payloads(List<EventEnvelope> events, Class<T> type) {
        return events.stream().map(EventEnvelope::payload).filter(type::isInstance).map(type::cast).toList();
    }

    private List<EventEnvelope> proposals(EventEnvelope study, EventEnvelope request) {
        return new LlmProposals(store, model, calls).proposalsFor(request, (StudyCreated) study.payload(), NOW,
                ordinal -> true);
    }

    private EventEnvelope study(Map<String, String> options) {
        return study(options, workspace);
    }

    private EventEnvelope study(Map<String, String> options, String tree) {
        EventEnvelope sample = SampleEvents.studyCreated(SampleEvents.newStudyId());
        StudyCreated s = (StudyCreated) sample.payload();
        StudyCreated llm = new StudyCreated("bin-packing", s.objective(), s.searchSpace(), s.budget(),
                StrategyNames.LLM, 424242L, s.specSha256(), WorkspaceRef.ofTree(tree), s.experiment(), s.validation(),
                List.of("evaluate.py"), options, s.promotion(), s.createdBy(), null);
        return sample.withPayload(llm);
    }

    private static EventEnvelope request(EventEnvelope study, int from, int count, List<Observation> history) {
        return study.caused(UUID.randomUUID(), NOW, "learner-service",
                new StrategyUpdated(from, count, Map.of(), "test", from, history, null));
    }

    private String tree(Map<String, String> files) {
        return tree(files, SampleEvents.TEAM);
    }

    private String tree(Map<String, String> files, String team) {
        List<TreeEntry> entries = new ArrayList<>();
        files.forEach((path, text) -> {
            BlobRef blob = store.putText(text);
            entries.add(new TreeEntry(TreePath.of(path), TreeEntry.Kind.FILE, blob.hash(), blob.size()));
        });
        Tree tree = Tree.of(entries);
        store.putTree(tree);
        store.grant(team, tree.hash());
        return tree.hash();
    }

    private String text(Tree tree, String path) {
        return new String(store.readBlob(tree.entry(TreePath.of(path)).orElseThrow().blob(), 1 << 20),
                StandardCharsets.UTF_8);
    }

    /** A model that answers by script (null: the call fails), storing prompts and answers as the real client does. */
    final class ScriptedModel implements LanguageModel {

        record Asked(ModelRequest request, String promptHash) {
        }

        volatile Function<ModelRequest, String> answer;
        final List<Asked> asked = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Map<String, Double> models() {
            Map<String, Double> models = new LinkedHashMap<>();
            models.put("small", 1.0);
            return models;
        }

        @Override
        public ModelReply complete(ModelRequest request) {
            BlobRef prompt = store.putText(request.system() + "\n\n" + request.user());
            asked.add(new Asked(request, prompt.hash()));
            String text = answer.apply(request);
            if (text == null) {
                return new ModelReply(null, prompt.hash(), prompt.size(), null, 0, 0, 0, 30_000, 0, 3, false,
                        "HTTP 503 after 3 attempts");
            }
            BlobRef stored = store.putText(text);
            return new ModelReply(text, prompt.hash(), prompt.size(), stored.hash(), stored.size(), 1200, 80, 900,
                    0.0021, 1, false, null);
        }
    }
}
