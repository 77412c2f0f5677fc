package dev.seedloop.proposer.application;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Topics;
import dev.seedloop.messaging.TopicProjection;
import dev.seedloop.proposer.domain.ProposalLedger;

/**
 * What every study is owed in proposals ({@link ProposalLedger}), read at start from the topics that say it: the
 * requests (the learner's StrategyUpdated; the studies topic only says which studies ended), the proposals made, and
 * the imported studies' slices (whose proposals were made elsewhere); then kept up to date by this instance as it
 * publishes (the topic echo is idempotent).
 */
@ApplicationScoped
public class ProposalBook extends TopicProjection {

    private final ProposalLedger ledger = new ProposalLedger();

    @Override
    protected String purpose() {
        return "proposal-book";
    }

    @Override
    protected List<String> topics() {
        return List.of(Topics.STUDIES, Topics.STRATEGY, Topics.PROPOSALS, Topics.IMPORTS);
    }

    @Override
    protected synchronized void apply(EventEnvelope event) {
        ledger.apply(event);
    }

    /** A request this instance is handling (it may not have read it from its topic yet). */
    public synchronized void requested(EventEnvelope request) {
        ledger.apply(request);
    }

    /** Proposals this instance published. */
    public synchronized void made(List<EventEnvelope> proposals) {
        proposals.forEach(ledger::apply);
    }

    public synchronized boolean isMade(EventEnvelope anyEventOfTheStudy, int ordinal) {
        return ledger.isMade(anyEventOfTheStudy, ordinal);
    }

    public synchronized List<ProposalLedger.Owed> owed(String studyId) {
        return ledger.owed(studyId);
    }

    public synchronized Set<String> studiesOwed() {
        return ledger.studiesOwed();
    }
}
