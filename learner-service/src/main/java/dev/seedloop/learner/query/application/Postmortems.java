package dev.seedloop.learner.query.application;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.query.application.postmortem.PostmortemBuilder;
import dev.seedloop.learner.store.persistence.StudyHistory;
import dev.seedloop.queries.PostmortemView;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A study's postmortem, built from the store rather than the folded state: it needs what the fold forgets
 * (every wait, every failure's shape, every rejected result). One pass over the study's events, page by page,
 * through the same reader replays use. Ownership is checked by the caller ({@link QueryService}).
 */
@ApplicationScoped
public class Postmortems {

    @Inject
    StudyHistory history;

    @Inject
    LearnerConfig config;

    public Uni<PostmortemView> of(String studyId) {
        int pageSize = config.store().readPageSize();
        AtomicLong after = new AtomicLong();
        return Multi.createBy().repeating()
                .uni(() -> history.events(studyId, after.get(), Long.MAX_VALUE, pageSize)
                        .invoke(page -> {
                            if (!page.isEmpty()) {
                                after.set(page.getLast().sequence());
                            }
                        }))
                .until(List::isEmpty)
                .onItem().<StudyHistory.Recorded>disjoint()
                .collect().in(() -> new PostmortemBuilder(studyId),
                        (builder, stored) -> builder.accept(stored.event(), stored.sequence(), stored.recordedAt()))
                .map(PostmortemBuilder::build);
    }
}
