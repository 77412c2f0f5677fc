package dev.seedloop.learner.query.application;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.query.domain.charts.ChartsBuilder;
import dev.seedloop.learner.query.domain.charts.ChartsHeads;
import dev.seedloop.learner.store.persistence.StudyHistory;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A study's charts, aggregated from the store in one pass over the events they are made of (page by page, up to a
 * sequence when asked), so a dashboard draws a study of any length from one bounded answer. The heavy StrategyUpdated
 * events are never read, and the builders of the last studies answered are kept ({@link ChartsHeads}), so a refresh
 * reads only the events since. Ownership is checked by the caller ({@link QueryService}).
 */
@ApplicationScoped
public class StudyCharts {

    @Inject
    StudyHistory history;

    @Inject
    LearnerConfig config;

    private ChartsHeads heads;

    @PostConstruct
    void keepHeads() {
        heads = new ChartsHeads(config.queries().chartsKept());
    }

    /**
     * Up to study sequence {@code atSequence} (null: its head), with at most {@code points} points. The head is read
     * first: events stored while the pass runs are left for the next answer, and the answer is as of the sequence it
     * names even when its last events are of types the charts do not read.
     */
    public Uni<Views.StudyChartsView> of(String studyId, Long atSequence, int points) {
        int pageSize = config.store().readPageSize();
        return history.head(studyId).chain(head -> {
            long upTo = atSequence == null ? head : Math.min(atSequence, head);
            ChartsHeads.Start start = heads.start(studyId, upTo);
            AtomicLong after = new AtomicLong(start.after());
            return Multi.createBy().repeating()
                    .uni(() -> history.events(studyId, after.get(), upTo, pageSize, ChartsBuilder.TYPES)
                            .invoke(page -> {
                                if (!page.isEmpty()) {
                                    after.set(page.getLast().sequence());
                                }
                            }))
                    .until(List::isEmpty)
                    .onItem().<StudyHistory.Recorded>disjoint()
                    .collect().in(start::builder,
                            (builder, stored) -> builder.accept(stored.event().payload(), stored.sequence()))
                    .map(builder -> {
                        builder.toldUpTo(upTo);
                        Views.StudyChartsView view = builder.build(points);
                        heads.keep(studyId, builder);
                        return view;
                    });
        });
    }
}
