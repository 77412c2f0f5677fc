package dev.seedloop.learner.query.application;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.query.domain.charts.ChartsBuilder;
import dev.seedloop.learner.store.persistence.StudyHistory;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A study's charts, aggregated from the store in one pass over the events they are made of (page by page, up to a
 * sequence when asked), so a dashboard draws a study of any length from one bounded answer. The heavy StrategyUpdated
 * events are never read. Ownership is checked by the caller ({@link QueryService}).
 */
@ApplicationScoped
public class StudyCharts {

    @Inject
    StudyHistory history;

    @Inject
    LearnerConfig config;

    /** Up to study sequence {@code atSequence} (null: the head), with at most {@code points} points. */
    public Uni<Views.StudyChartsView> of(String studyId, Long atSequence, int points) {
        int pageSize = config.store().readPageSize();
        long upTo = atSequence == null ? Long.MAX_VALUE : atSequence;
        AtomicLong after = new AtomicLong();
        return Multi.createBy().repeating()
                .uni(() -> history.events(studyId, after.get(), upTo, pageSize, ChartsBuilder.TYPES)
                        .invoke(page -> {
                            if (!page.isEmpty()) {
                                after.set(page.getLast().sequence());
                            }
                        }))
                .until(List::isEmpty)
                .onItem().<StudyHistory.Recorded>disjoint()
                .collect().in(() -> new ChartsBuilder(studyId),
                        (builder, stored) -> builder.accept(stored.event().payload(), stored.sequence()))
                .map(builder -> builder.build(points));
    }
}
