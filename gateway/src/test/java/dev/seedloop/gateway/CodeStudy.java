package dev.seedloop.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.BlobRef;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.FilePatch;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.WorkspaceRef;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.Views;

/**
 * A study of {@code team-a} with code, as the implementer leaves it: trees stored in the real artifact store and
 * granted to the team, and the events naming them (StudyCreated v4, ProposalCreated v2, ExperimentStarted/Completed
 * v2), served by a {@link StandInLearner} to the study's team only (another team's query is "no such study").
 */
final class CodeStudy {

    static final String TEAM = "team-a";

    final String id = SampleEvents.newStudyId();
    final String team;
    final List<EventEnvelope> events = new ArrayList<>();
    private final ArtifactStore store;
    private final EventCodec codec = new EventCodec();
    private UUID champion;

    CodeStudy(ArtifactStore store, Tree workspace) {
        this(store, workspace, TEAM);
    }

    /** A study of {@code team}, which must own {@code workspace}. */
    CodeStudy(ArtifactStore store, Tree workspace, String team) {
        this.store = store;
        this.team = team;
        EventEnvelope sample = SampleEvents.studyCreated(id);
        StudyCreated c = (StudyCreated) sample.payload();
        StudyCreated created = new StudyCreated(c.name(), c.objective(), c.searchSpace(), c.budget(), c.strategy(),
                c.seed(), c.specSha256(), WorkspaceRef.ofTree(workspace.hash()), c.experiment(), c.validation(),
                c.protectedPaths(), c.strategyOptions(), c.promotion(), c.createdBy(), null);
        events.add(new EventEnvelope(UUID.fromString(id), id, team, sample.occurredAt(), null,
                sample.correlationId(), sample.producer(), created));
    }

    /** Stores {@code files} (path → text) as a tree; granted to {@code owners}. */
    static Tree tree(ArtifactStore store, Map<String, String> files, String... owners) {
        List<TreeEntry> entries = new ArrayList<>();
        files.forEach((path, text) -> {
            BlobRef blob = store.putBlob(text.getBytes(StandardCharsets.UTF_8));
            entries.add(new TreeEntry(TreePath.of(path), TreeEntry.Kind.FILE, blob.hash(), blob.size()));
        });
        Tree tree = Tree.of(entries);
        store.putTree(tree);
        for (String owner : owners) {
            store.grant(owner, tree.hash());
        }
        return tree;
    }

    static Map<String, String> files(String... pathsAndTexts) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            files.put(pathsAndTexts[i], pathsAndTexts[i + 1]);
        }
        return files;
    }

    /** A proposal on {@code parent}; with a {@code child}, its experiment started and completed on that tree. */
    UUID proposal(Tree parent, Tree child) {
        UUID proposal = UUID.randomUUID();
        add(new ProposalCreated(proposal, events.size(), "random", "mutate", Map.of("lr", 0.1), List.of(), List.of(),
                parent.hash()));
        if (child != null) {
            UUID experiment = UUID.randomUUID();
            add(new ExperimentStarted(experiment, proposal, "local", "sha256:" + "0".repeat(64), 1, parent.hash(),
                    child.hash()));
            add(new ExperimentCompleted(experiment, proposal, List.of(new RepeatResult(1, Map.of("loss", 0.5), 10, 0)),
                    ResourceUsage.NONE, "", null, null, child.hash()));
        }
        return proposal;
    }

    /** A proposal {@code id} of strategy llm on {@code parent} with these patches, not run. */
    void proposal(UUID id, Tree parent, List<FilePatch> patches) {
        add(new ProposalCreated(id, events.size(), "llm", "mutate@small/default", Map.of(), List.of(), patches,
                parent.hash()));
    }

    /**
     * A model call for {@code proposal} whose prompt (and answer, unless null: the call failed) are stored as blobs.
     *
     * @return the call's id
     */
    UUID modelCall(UUID proposal, String prompt, String answer, long tokensIn, long tokensOut, double cost) {
        UUID call = UUID.randomUUID();
        byte[] promptBytes = prompt.getBytes(StandardCharsets.UTF_8);
        String promptHash = store.putBlob(promptBytes).hash();
        String answerHash = answer == null ? null : store.putText(answer).hash();
        add(new ModelCallCompleted(call, proposal, events.size(), "small", "default", "mutate@small/default",
                promptHash, promptBytes.length, answerHash,
                answer == null ? 0 : answer.getBytes(StandardCharsets.UTF_8).length, tokensIn, tokensOut, 1200, cost, 1,
                false, answer == null ? "timeout after 3 attempts" : null));
        return call;
    }

    void champion(UUID proposal) {
        champion = proposal;
    }

    private void add(EventPayload payload) {
        EventEnvelope first = events.getFirst();
        events.add(new EventEnvelope(UUID.randomUUID(), id, team, Instant.now(), null, first.correlationId(),
                first.producer(), payload));
    }

    /** The learner's answers about this study; null for a query it is not about. */
    QueryReply answer(Query query) {
        QueryCodec replies = new QueryCodec();
        return switch (query) {
            case Query.GetStudy get when get.studyId().equals(id) -> !get.team().equals(team)
                    ? QueryCodec.notFound("no study " + id) : replies.ok(view());
            case Query.GetEvents get when get.studyId().equals(id) -> {
                if (!get.team().equals(team)) {
                    yield QueryCodec.notFound("no study " + id);
                }
                List<Views.StoredEventView> items = new ArrayList<>();
                ObjectMapper json = new ObjectMapper();
                for (int i = 0; i < events.size(); i++) {
                    EventEnvelope event = events.get(i);
                    String type = EventTypes.forPayload(event.payload().getClass()).name();
                    if (i + 1 > get.afterSequence() && items.size() < get.limit()
                            && (get.types() == null || get.types().isEmpty() || get.types().contains(type))) {
                        try {
                            items.add(new Views.StoredEventView(i + 1, json.readTree(codec.encodeToString(event))));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                long last = items.isEmpty() ? get.afterSequence() : items.getLast().sequence();
                yield replies.ok(new Views.EventPage(items, last < events.size() && items.size() == get.limit()));
            }
            default -> null;
        };
    }

    private Views.StudyView view() {
        Views.ChampionView championView = champion == null ? null
                : new Views.ChampionView(champion, UUID.randomUUID(), 0.5, Instant.EPOCH, null, null);
        return new Views.StudyView(id, team, "code", "running", Instant.EPOCH, null, "random", "auto", "loss",
                "minimize", null, championView, List.of(), 0, 0, 0, 0, events.size(), null, List.of(), null, null);
    }
}
