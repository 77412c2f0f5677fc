package dev.seedloop.proposer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;

/** What a study is owed, folded from requests and proposals read in any order. */
class ProposalLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final EventEnvelope created = SampleEvents.studyCreated(SampleEvents.newStudyId());
    private final StudyCreated spec = (StudyCreated) created.payload();
    private final ProposalLedger ledger = new ProposalLedger();

    @Test
    void aRequestIsOwedUntilEveryOrdinalItAskedForIsMade() {
        EventEnvelope request = request(2, 3);
        ledger.apply(created);
        ProposerTest.firstBatch(created).forEach(ledger::apply);
        ledger.apply(request);
        Proposer.onStrategyUpdated(request, (StrategyUpdated) request.payload(), spec, NOW).subList(0, 1)
                .forEach(ledger::apply);

        assertThat(ledger.owed(created.studyId())).singleElement().satisfies(owed -> {
            assertThat(owed.cause()).isEqualTo(request);
            assertThat(owed.ordinals()).containsExactly(3, 4);
        });
        Proposer.onStrategyUpdated(request, (StrategyUpdated) request.payload(), spec, NOW).forEach(ledger::apply);
        assertThat(ledger.owed(created.studyId())).isEmpty();
        assertThat(ledger.studiesOwed()).doesNotContain(created.studyId());
    }

    @Test
    void proposalsReadBeforeTheirRequestSettleItAndTheFirstBatchIsOwedByTheLearnersFirstRequest() {
        EventEnvelope request = request(2, 1);
        Proposer.onStrategyUpdated(request, (StrategyUpdated) request.payload(), spec, NOW).forEach(ledger::apply);
        ledger.apply(request);
        ledger.apply(created);
        assertThat(ledger.owed(created.studyId())).as("a creation asks for nothing").isEmpty();
        EventEnvelope first = ProposerTest.firstRequest(created);
        ledger.apply(first);

        assertThat(ledger.owed(created.studyId())).singleElement().satisfies(owed -> {
            assertThat(owed.cause()).isEqualTo(first);
            assertThat(owed.ordinals()).containsExactly(0, 1);
        });
        assertThat(ledger.isMade(created, 2)).isTrue();
    }

    @Test
    void aLogFromBeforeWhoseFirstBatchWasMadeOnCreationOwesNothing() {
        // The proposer used to make the first batch on StudyCreated itself: those proposals are caused by the creation.
        EventEnvelope request = firstRequest(created);
        List<EventEnvelope> madeOnCreation = Proposer.onStrategyUpdated(request, (StrategyUpdated) request.payload(),
                spec, NOW).stream().map(p -> new EventEnvelope(p.eventId(), p.studyId(), p.team(), p.occurredAt(),
                created.eventId(), p.correlationId(), p.producer(), p.payload())).toList();
        ledger.apply(created);
        madeOnCreation.forEach(ledger::apply);

        assertThat(ledger.owed(created.studyId())).isEmpty();
        assertThat(ledger.isMade(created, 0)).isTrue();
        assertThat(ledger.isMade(created, 1)).isTrue();
    }

    @Test
    void aRejectedProposalCountsAsMadeAndAnEndedStudyIsOwedNothing() {
        EventEnvelope request = request(2, 1);
        ledger.apply(request);
        ledger.rejected(created.studyId(), Proposer.proposalId(created, 2));
        assertThat(ledger.owed(created.studyId())).isEmpty();

        ledger.apply(request(3, 1));
        ledger.apply(new EventEnvelope(UUID.randomUUID(), created.studyId(), created.team(), NOW, null,
                created.correlationId(), "gateway", new StudyHalted("bob", "done")));
        ledger.apply(request(4, 1));
        assertThat(ledger.owed(created.studyId())).isEmpty();
    }

    @Test
    void whatIsProposedForAnOwedRequestIsTheMissingPartOfTheWholeBatch() {
        EventEnvelope request = request(2, 3);
        List<EventEnvelope> whole = Proposer.onStrategyUpdated(request, (StrategyUpdated) request.payload(), spec, NOW);
        ledger.apply(request);
        ledger.apply(whole.get(1));

        List<EventEnvelope> missing = Proposer.proposalsFor(request, spec, NOW, ordinal -> !ledger.isMade(request, ordinal));

        assertThat(missing).containsExactly(whole.get(0), whole.get(2));
        assertThat(Proposer.proposalsFor(created, spec, NOW, ordinal -> true)).as("a creation is no request").isEmpty();
    }

    private static EventEnvelope firstRequest(EventEnvelope created) {
        return ProposerTest.firstRequest(created);
    }

    private EventEnvelope request(int from, int count) {
        return new EventEnvelope(UUID.randomUUID(), created.studyId(), created.team(), NOW, UUID.randomUUID(),
                created.correlationId(), "learner-service",
                new StrategyUpdated(from, count, Map.of(), "test", from, List.of()));
    }
}
