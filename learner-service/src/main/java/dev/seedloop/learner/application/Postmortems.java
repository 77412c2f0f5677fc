package dev.seedloop.learner.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.seedloop.learner.domain.postmortem.PostmortemBuilder;
import dev.seedloop.learner.persistence.RecordedEvents;
import dev.seedloop.queries.PostmortemView;
import io.smallrye.mutiny.Uni;

/**
 * A study's postmortem, built from the store rather than the folded state: it needs what the fold forgets
 * (every wait, every failure's shape, every rejected result). One pass over the study's events, page by page.
 * Ownership is checked by the caller ({@link QueryService}).
 */
@ApplicationScoped
public class Postmortems {

    @Inject
    RecordedEvents events;

    public Uni<PostmortemView> of(String studyId) {
        return events.study(studyId)
                .collect().in(() -> new PostmortemBuilder(studyId),
                        (builder, stored) -> builder.accept(stored.event(), stored.sequence(), stored.recordedAt()))
                .map(PostmortemBuilder::build);
    }
}
