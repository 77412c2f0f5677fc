package dev.seedloop.proposer.application;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;

import dev.seedloop.artifacts.ArtifactRejectedException;
import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.Change;
import dev.seedloop.artifacts.Patches;
import dev.seedloop.artifacts.ProtectedPaths;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeDiff;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.FilePatch;
import dev.seedloop.events.LlmOptions;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.Observation;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyNames;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.proposer.domain.Proposer;
import dev.seedloop.proposer.domain.llm.AnswerInterpreter;
import dev.seedloop.proposer.domain.llm.AnswerVerdict;
import dev.seedloop.proposer.domain.llm.EditableRegions;
import dev.seedloop.proposer.domain.llm.LlmChoice;
import dev.seedloop.proposer.domain.llm.LlmChoice.Choice;
import dev.seedloop.proposer.domain.llm.Novelty;
import dev.seedloop.proposer.domain.llm.PromptInput;
import dev.seedloop.proposer.domain.llm.Prompts;

/**
 * The {@code llm} strategy's proposals for one learner request: per wanted ordinal, choose ({@link LlmChoice}), read the
 * parent's code from the artifact store, build the prompt ({@link Prompts}), ask the {@link LanguageModel} (on the
 * {@code calls} executor, so the calls of one request run concurrently, as many at once as it has threads), interpret
 * the answer, store the child tree (parent + patches) and refuse a child that is not novel; then, in ordinal order, one
 * {@link ModelCallCompleted} per call followed by the ProposalCreated or ProposalRejected, all caused by the request.
 *
 * <p>Ids derive from the study and the ordinal as for every strategy ({@link Proposer#proposalId}), the call's from the
 * proposal's, so a redelivered request re-emits the same ids (and the model client answers it from its record). A
 * failed call, an unusable answer or a missing parent fails that proposal only (ProposalRejected with the reason); the
 * artifact store failing fails the request (retried by the channel).
 */
public class LlmProposals {

    /** Files larger than this are not read as text (not shown, not editable). */
    static final int MAX_TEXT_FILE_BYTES = 1 << 20;

    private final ArtifactStore store;
    private final LanguageModel model;
    private final ExecutorService calls;

    public LlmProposals(ArtifactStore store, LanguageModel model, ExecutorService calls) {
        this.store = store;
        this.model = model;
        this.calls = calls;
    }

    /** Whether a study proposes through this class rather than a parameter strategy. */
    public static boolean handles(StudyCreated study) {
        return StrategyNames.LLM.equals(study.strategy());
    }

    /**
     * The events for the request's ordinals that {@code wanted} accepts (the others are made already).
     *
     * @throws IllegalArgumentException when the study's options do not parse (the record is the problem)
     */
    public List<EventEnvelope> proposalsFor(EventEnvelope request, StudyCreated study, Instant now,
            IntPredicate wanted) {
        if (!(request.payload() instanceof StrategyUpdated update) || update.proposalsRequested() == 0) {
            return List.of();
        }
        LlmOptions options = LlmOptions.parse(study.strategyOptions());
        List<Choice> choices = LlmChoice.choose(study.seed(), update.nextOrdinal(), update.proposalsRequested(),
                options, model.models(), update.operatorWeights(), update.observations(),
                study.objective().direction());
        Asked asked = new Asked(request, study, update, options);
        List<Future<Outcome>> pending = new ArrayList<>();
        for (Choice choice : choices) {
            if (wanted.test(choice.ordinal())) {
                pending.add(calls.submit(() -> attempt(asked, choice)));
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (Future<Outcome> future : pending) {
                outcomes.add(future.get());
            }
        } catch (InterruptedException e) {
            pending.forEach(future -> future.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the language model", e);
        } catch (ExecutionException e) {
            pending.forEach(future -> future.cancel(true));
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(e.getCause());
        }
        return events(asked, judgeNovelty(asked, outcomes), now);
    }

    /** One request's shared inputs, with a cache of the trees and files read for it. */
    private record Asked(EventEnvelope request, StudyCreated study, StrategyUpdated update, LlmOptions options,
                         Map<String, Optional<Tree>> trees, Map<String, Map<String, String>> files) {
        Asked(EventEnvelope request, StudyCreated study, StrategyUpdated update, LlmOptions options) {
            this(request, study, update, options, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }

        String studyTree() {
            return study.workspace() == null ? null : study.workspace().tree();
        }

        ProtectedPaths protectedPaths() {
            return ProtectedPaths.of(study.protectedPaths());
        }
    }

    /**
     * What came of one ordinal: the reply (null when no call was made), and either a child (tree, files, patches) or
     * a rejection.
     */
    private record Outcome(Choice choice, String parentTree, ModelReply reply, Tree child, Map<String, String> files,
                           List<FilePatch> patches, String rejection, List<String> violations) {

        static Outcome rejected(Choice choice, String parentTree, ModelReply reply, String reason,
                List<String> violations) {
            return new Outcome(choice, parentTree, reply, null, null, List.of(), reason, violations);
        }

        Outcome reject(String reason, List<String> violations) {
            return rejected(choice, parentTree, reply, reason, violations);
        }
    }

    private Outcome attempt(Asked asked, Choice choice) {
        String parentTree = choice.parentTree(asked.studyTree());
        if (parentTree == null) {
            return Outcome.rejected(choice, null, null, "an llm study needs an uploaded workspace (a tree)", List.of());
        }
        Optional<Tree> parent = store.treeOwnedBy(asked.request().team(), parentTree);
        if (parent.isEmpty()) {
            return Outcome.rejected(choice, parentTree, null, "the parent's code is not in the artifact store or not"
                    + " the team's", List.of(parentTree));
        }
        Map<String, String> parentFiles = files(asked, parent.get());
        String templateText;
        Prompts.Prompt prompt;
        try {
            templateText = templateText(asked, choice.template());
            prompt = Prompts.build(promptInput(asked, choice, parentFiles), choice.template(), templateText);
        } catch (IllegalArgumentException e) {
            return Outcome.rejected(choice, parentTree, null, "the prompt cannot be built", List.of(e.getMessage()));
        }
        ModelReply reply = model.complete(new ModelRequest(asked.request().team(), choice.model(), prompt.system(),
                prompt.user(), asked.options().maxAnswerTokens(), asked.options().temperature(),
                asked.study().seed() + ":" + choice.ordinal() + ":" + choice.operator()));
        Outcome asOf = Outcome.rejected(choice, parentTree, reply, "unused", List.of());
        if (!reply.answered()) {
            return asOf.reject("the model call failed", List.of(reply.failure()));
        }
        EditableRegions regions = EditableRegions.find(parentFiles, asked.options(), asked.study().protectedPaths());
        AnswerVerdict verdict = AnswerInterpreter.interpret(reply.text(), parentFiles, regions,
                asked.options().fullFileRewrites(), asked.study().protectedPaths());
        return switch (verdict) {
            case AnswerVerdict.Refused refused -> asOf.reject(refused.reason(), refused.violations());
            case AnswerVerdict.Edited edited -> child(asked, asOf, parent.get(), parentFiles, regions, edited);
        };
    }

    private Outcome child(Asked asked, Outcome asOf, Tree parent, Map<String, String> parentFiles,
            EditableRegions regions, AnswerVerdict.Edited edited) {
        if (edited.patches().isEmpty()) {
            return asOf.reject("the answer changes nothing", List.of());
        }
        List<String> touched = Proposer.protectedPathsTouched(edited.patches(), asked.study().protectedPaths());
        if (!touched.isEmpty()) {
            return asOf.reject("the patch set touches protected paths", touched);
        }
        Tree child;
        try {
            child = new Patches(store, asked.protectedPaths()).apply(parent, Change.of(edited.patches()));
        } catch (ArtifactRejectedException e) {
            return asOf.reject("the answer's patches do not apply to the parent's code", List.of(e.getMessage()));
        }
        // What novelty compares: the editable files only; the fixed rest (a harness, data) would make any two
        // children of one parent look alike.
        Map<String, String> files = new TreeMap<>();
        parentFiles.forEach((path, content) -> {
            if (regions.isEditable(path)) {
                files.put(path, content);
            }
        });
        files.putAll(edited.changedFiles());
        return new Outcome(asOf.choice(), asOf.parentTree(), asOf.reply(), child, files, edited.patches(), null,
                List.of());
    }

    /**
     * In ordinal order: a child whose code was evaluated already (or is its parent's) or equals an earlier sibling's,
     * or is at least {@code noveltyThreshold} similar to one, is refused. Only siblings made in this pass count.
     */
    private static List<Outcome> judgeNovelty(Asked asked, List<Outcome> outcomes) {
        Map<String, Observation> evaluated = new HashMap<>();
        for (Observation o : asked.update().observations()) {
            if (o.tree() != null) {
                evaluated.putIfAbsent(o.tree(), o);
            }
        }
        List<Outcome> judged = new ArrayList<>();
        List<Outcome> siblings = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.child() == null) {
                judged.add(outcome);
                continue;
            }
            String hash = outcome.child().hash();
            Outcome verdict = outcome;
            if (evaluated.containsKey(hash)) {
                verdict = outcome.reject("not novel: the same code as proposal #" + evaluated.get(hash).ordinal()
                        + ", evaluated already", List.of(hash));
            } else if (hash.equals(outcome.parentTree())) {
                verdict = outcome.reject("not novel: the same code as its parent", List.of(hash));
            } else {
                for (Outcome sibling : siblings) {
                    if (sibling.child().hash().equals(hash)) {
                        verdict = outcome.reject("not novel: the same code as sibling proposal #"
                                + sibling.choice().ordinal(), List.of(hash));
                        break;
                    }
                    double similarity = Novelty.similarity(outcome.files(), sibling.files());
                    if (similarity >= asked.options().noveltyThreshold()) {
                        verdict = outcome.reject("not novel: " + String.format(java.util.Locale.ROOT, "%.3f",
                                similarity) + " similar to sibling proposal #" + sibling.choice().ordinal()
                                + " (threshold " + asked.options().noveltyThreshold() + ")", List.of(hash));
                        break;
                    }
                }
            }
            if (verdict.child() != null && verdict.rejection() == null) {
                siblings.add(verdict);
            }
            judged.add(verdict);
        }
        return judged;
    }

    private static List<EventEnvelope> events(Asked asked, List<Outcome> outcomes, Instant now) {
        EventEnvelope request = asked.request();
        Map<UUID, Observation> byId = new HashMap<>();
        asked.update().observations().forEach(o -> byId.put(o.proposalId(), o));
        List<EventEnvelope> events = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            Choice choice = outcome.choice();
            UUID proposalId = Proposer.proposalId(request, choice.ordinal());
            if (outcome.reply() != null) {
                ModelReply reply = outcome.reply();
                UUID callId = EventIds.derived(proposalId, "model-call");
                events.add(request.caused(EventIds.derived(callId, "event"), now, Services.PROPOSER,
                        new ModelCallCompleted(callId, proposalId, choice.ordinal(), choice.model(), choice.template(),
                                choice.armKey(), reply.promptHash(), reply.promptBytes(), reply.answerHash(),
                                reply.answerBytes(), reply.tokensIn(), reply.tokensOut(), reply.latencyMillis(),
                                reply.costUsd(), reply.attempts(), reply.replayed(), reply.failure())));
            }
            EventPayload payload = outcome.child() == null || outcome.rejection() != null
                    ? new ProposalRejected(proposalId, outcome.rejection(), outcome.violations())
                    : new ProposalCreated(proposalId, choice.ordinal(), StrategyNames.LLM, choice.armKey(),
                            choice.parents().isEmpty() ? Map.of() : choice.parents().getFirst().parameters(),
                            choice.parents().stream().map(Observation::proposalId).toList(), outcome.patches(),
                            outcome.parentTree());
            events.add(request.caused(EventIds.derived(proposalId, "event"), now, Services.PROPOSER, payload));
        }
        return events;
    }

    private PromptInput promptInput(Asked asked, Choice choice, Map<String, String> parentFiles) {
        StudyCreated study = asked.study();
        List<Observation> history = asked.update().observations();
        LlmChoice.Context context = LlmChoice.context(choice, asked.options(), history, study.objective().direction());
        ProtectedPaths guarded = asked.protectedPaths();
        List<String> whole = new ArrayList<>();
        List<String> marked = new ArrayList<>();
        parentFiles.forEach((path, text) -> {
            if (guarded.covers(TreePath.of(path))) {
                return;
            }
            if (asked.options().editableFiles().contains(path)) {
                whole.add(path);
            } else if (text.contains("EVOLVE-BLOCK-START")) {
                marked.add(path);
            }
        });
        boolean repair = choice.operator().equals(LlmChoice.REPAIR);
        Observation first = choice.parents().isEmpty() ? null : choice.parents().getFirst();
        PromptInput.Program parent = new PromptInput.Program(first == null ? "the study's starting program"
                : "proposal #" + first.ordinal(), first == null ? null : first.value(), parentFiles,
                first == null || repair ? "" : first.output(), first == null || repair ? "" : first.failure());
        PromptInput.Program second = null;
        if (choice.parents().size() > 1) {
            Observation other = choice.parents().get(1);
            Map<String, String> files = other.tree() == null ? Map.of()
                    : tree(asked, other.tree()).map(tree -> files(asked, tree)).orElse(Map.of());
            second = new PromptInput.Program("proposal #" + other.ordinal(), other.value(), files, other.output(),
                    other.failure());
        }
        PromptInput.Attempt broken = repair ? shown(asked, new LlmChoice.Shown("failed", first), null) : null;
        String parentTree = choice.parentTree(asked.studyTree());
        return new PromptInput(choice.operator(), study.name(), study.objective().metric(),
                study.objective().direction(), whole, marked, parent, second, broken,
                context.attempts().stream().map(s -> shown(asked, s, null)).toList(),
                context.failures().stream().map(s -> shown(asked, s, null)).toList(),
                context.inspirations().stream().map(s -> shown(asked, s, parentTree)).toList(),
                choice.operator().equals(LlmChoice.SAMPLE) ? "" : asked.update().notes(), asked.options().hints(),
                asked.options().fullFileRewrites(), asked.options().outputChars());
    }

    /** An observation as an attempt; its diff from {@code from}, or (null) from its own parent's code. */
    private PromptInput.Attempt shown(Asked asked, LlmChoice.Shown shown, String from) {
        Observation o = shown.observation();
        String base = from;
        if (base == null) {
            base = asked.studyTree();
            for (Observation candidate : asked.update().observations()) {
                if (!o.parents().isEmpty() && candidate.proposalId().equals(o.parents().getFirst())
                        && candidate.tree() != null) {
                    base = candidate.tree();
                }
            }
        }
        String diff = "";
        if (base != null && o.tree() != null) {
            Optional<Tree> a = tree(asked, base);
            Optional<Tree> b = tree(asked, o.tree());
            if (a.isPresent() && b.isPresent()) {
                diff = new TreeDiff(store).unified(a.get(), b.get());
            }
        }
        return new PromptInput.Attempt(shown.label(), o.ordinal(), o.operator(), o.value(), o.failure(), o.output(),
                diff);
    }

    private Optional<Tree> tree(Asked asked, String hash) {
        return asked.trees().computeIfAbsent(hash, store::tree);
    }

    /** The study's own template text: inline, or a file of its workspace; null for the built-in {@code default}. */
    private String templateText(Asked asked, String name) {
        if (name.equals(LlmOptions.DEFAULT_TEMPLATE)) {
            return null;
        }
        String inline = asked.options().inlineTemplates().get(name);
        if (inline != null) {
            return inline;
        }
        String path = asked.options().templateFiles().get(name);
        String text = asked.studyTree() == null ? null
                : store.treeOwnedBy(asked.request().team(), asked.studyTree())
                        .map(tree -> files(asked, tree).get(TreePath.of(path).value())).orElse(null);
        if (text == null) {
            throw new IllegalArgumentException("template file " + path + " of template '" + name
                    + "' is not a text file of the study's workspace");
        }
        return text;
    }

    /** A tree's UTF-8 text files up to {@link #MAX_TEXT_FILE_BYTES} (path to content); binaries and links left out. */
    private Map<String, String> files(Asked asked, Tree tree) {
        return asked.files().computeIfAbsent(tree.hash(), hash -> {
            Map<String, String> files = new LinkedHashMap<>();
            for (TreeEntry entry : tree.entries()) {
                if (entry.kind() == TreeEntry.Kind.SYMLINK || entry.size() > MAX_TEXT_FILE_BYTES) {
                    continue;
                }
                byte[] bytes = store.readBlob(entry.blob(), MAX_TEXT_FILE_BYTES);
                try {
                    String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
                    if (text.indexOf('\0') < 0) {
                        files.put(entry.path().value(), text);
                    }
                } catch (CharacterCodingException binary) {
                    // not text: neither shown nor editable
                }
            }
            return Map.copyOf(files);
        });
    }
}
