package dev.seedloop.evaluator.messaging;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.seedloop.evaluator.application.ChampionBook;
import dev.seedloop.evaluator.domain.PromotionReview;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.messaging.InboundChannels;
import dev.seedloop.messaging.OutboundEvents;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Approvers' answers to promotion requests in (from the studies topic), champion changes out. Every other
 * study event passes by: the evaluator reads study specs through its study directory.
 */
@ApplicationScoped
public class PromotionEventsConsumer {

    private static final Logger LOG = Logger.getLogger(PromotionEventsConsumer.class);

    @Inject
    InboundChannels channels;

    @Inject
    OutboundEvents outbound;

    @Inject
    ChampionBook book;

    @Inject
    Clock clock;

    @Inject
    @Channel("evaluations-out")
    MutinyEmitter<byte[]> evaluations;

    /** Blocking: it may wait for the champion book to catch up, and for a judgement in progress. */
    @Incoming("studies-in")
    @Blocking
    public void onStudyEvent(ConsumerRecord<String, byte[]> record) {
        channels.processBlocking("studies-in", record, event -> {
            book.exclusively(() -> handle(event).await().indefinitely());
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> handle(EventEnvelope event) {
        return switch (event.payload()) {
            case PromotionApproved approved -> answer(event, approved.proposalId(),
                    PromotionReview.onApproved(event, approved, book.state(event.studyId()), clock.instant()));
            case PromotionRejected rejected -> answer(event, rejected.proposalId(),
                    PromotionReview.onRejected(event, rejected, book.state(event.studyId())));
            default -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> answer(EventEnvelope event, UUID proposalId, PromotionReview.Outcome outcome) {
        return switch (outcome) {
            case PromotionReview.Outcome.Accepted accepted -> outbound.publish(evaluations, accepted.events())
                    .invoke(() -> {
                        // The answer too: the book's reader may not have reached it before the next decision.
                        accepted.events().forEach(book::apply);
                        book.apply(event);
                        LOG.infof("%s of proposal %s in study %s applied", event.type(), proposalId, event.studyId());
                    });
            case PromotionReview.Outcome.Redelivered redelivered -> {
                LOG.debugf("%s %s was already applied", event.type(), event.eventId());
                yield Uni.createFrom().voidItem();
            }
            case PromotionReview.Outcome.Ignored ignored -> {
                LOG.warnf("ignoring %s %s of proposal %s: %s", event.type(), event.eventId(), proposalId,
                        ignored.why());
                yield Uni.createFrom().voidItem();
            }
        };
    }
}
