package dev.seedloop.proposer.domain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyHalted;

/**
 * Which proposals each study is owed: those the learner asked for (each StrategyUpdated: {@code proposalsRequested}
 * from {@code nextOrdinal}; a study's first batch is one of them, ADR 0021) that are not made yet (no ProposalCreated
 * or ProposalRejected with that ordinal's id). Folded from the topics (requests and proposals in any relative order),
 * so a proposer that starts knows what its predecessor owed without having kept anything (ADR 0007).
 *
 * <p>Only requests with something missing are kept, so memory grows with what is owed, not with history; what was made
 * is one bit per ordinal. Not thread-safe: the caller serialises.
 */
public final class ProposalLedger {

    /** A request with the ordinals it still lacks, ascending. */
    public record Owed(EventEnvelope cause, List<Integer> ordinals) {
        public Owed {
            ordinals = List.copyOf(ordinals);
        }
    }

    private record Request(EventEnvelope cause, int from, int count) {
    }

    private static final class Study {
        final BitSet made = new BitSet();
        final Set<UUID> rejected = new HashSet<>();
        final Map<UUID, Request> open = new LinkedHashMap<>();
    }

    private final Map<String, Study> studies = new HashMap<>();
    private final Set<String> finished = new HashSet<>();

    /**
     * Applies an event of the studies, strategy or proposals topic (or of an import); others are ignored. A study's
     * creation asks for nothing: its first batch is the learner's first StrategyUpdated (a log from before ADR 0021,
     * whose first batch the proposer made on StudyCreated, has those proposals made: nothing is owed for them). A
     * halted or completed study is forgotten: whatever it was owed, it gets nothing more.
     */
    public void apply(EventEnvelope event) {
        switch (event.payload()) {
            case StrategyUpdated update -> requested(event, update.nextOrdinal(), update.proposalsRequested());
            case ProposalCreated created -> made(event.studyId(), created.ordinal());
            case ProposalRejected rejected -> rejected(event.studyId(), rejected.proposalId());
            case StudyHalted halted -> finished(event.studyId());
            case StudyCompleted completed -> finished(event.studyId());
            default -> {
                // not about proposals
            }
        }
    }

    /** {@code cause} asks for {@code count} proposals from ordinal {@code from}; asking again changes nothing. */
    public void requested(EventEnvelope cause, int from, int count) {
        if (count <= 0 || finished.contains(cause.studyId())) {
            return;
        }
        Study study = study(cause.studyId());
        Request request = new Request(cause, from, count);
        if (!missing(study, request).isEmpty()) {
            study.open.putIfAbsent(cause.eventId(), request);
        }
    }

    /** The study's proposal with this ordinal exists. */
    public void made(String studyId, int ordinal) {
        if (finished.contains(studyId)) {
            return;
        }
        Study study = study(studyId);
        study.made.set(ordinal);
        settle(study);
    }

    /** The study's proposal with this id was made and rejected (its ordinal is found through its derived id). */
    public void rejected(String studyId, UUID proposalId) {
        if (finished.contains(studyId)) {
            return;
        }
        Study study = study(studyId);
        study.rejected.add(proposalId);
        settle(study);
    }

    /** What the study is owed, oldest request first. */
    public List<Owed> owed(String studyId) {
        Study study = studies.get(studyId);
        if (study == null) {
            return List.of();
        }
        List<Owed> owed = new ArrayList<>();
        for (Request request : study.open.values()) {
            List<Integer> missing = missing(study, request);
            if (!missing.isEmpty()) {
                owed.add(new Owed(request.cause(), missing));
            }
        }
        return owed;
    }

    /** Whether the study's proposal {@code ordinal} (whose id derives from {@code anyEventOfTheStudy}) exists. */
    public boolean isMade(EventEnvelope anyEventOfTheStudy, int ordinal) {
        Study study = studies.get(anyEventOfTheStudy.studyId());
        return study != null && isMade(study, anyEventOfTheStudy, ordinal);
    }

    /** The studies owed something. */
    public Set<String> studiesOwed() {
        Set<String> owing = new HashSet<>();
        studies.forEach((id, study) -> {
            if (!study.open.isEmpty()) {
                owing.add(id);
            }
        });
        return owing;
    }

    /** A halted or completed study is owed nothing, ever: forget it. */
    public void finished(String studyId) {
        finished.add(studyId);
        studies.remove(studyId);
    }

    private Study study(String studyId) {
        return studies.computeIfAbsent(studyId, id -> new Study());
    }

    private void settle(Study study) {
        study.open.values().removeIf(request -> missing(study, request).isEmpty());
    }

    private static List<Integer> missing(Study study, Request request) {
        List<Integer> missing = new ArrayList<>();
        for (int ordinal = request.from(); ordinal < request.from() + request.count(); ordinal++) {
            if (!isMade(study, request.cause(), ordinal)) {
                missing.add(ordinal);
            }
        }
        return missing;
    }

    private static boolean isMade(Study study, EventEnvelope anyEventOfTheStudy, int ordinal) {
        return study.made.get(ordinal)
                || (!study.rejected.isEmpty() && study.rejected.contains(Proposer.proposalId(anyEventOfTheStudy, ordinal)));
    }
}
