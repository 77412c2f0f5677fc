package dev.seedloop.learner.projection.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/**
 * One row of {@code study_summary}: a study as a list shows it. Written only by {@link ReadModels}'s
 * batched upsert, never through Hibernate, hence {@link Immutable}.
 */
@Entity
@Immutable
@Table(name = "study_summary")
public class StudySummaryEntity {

    @Id
    @Column(name = "study_id")
    public String studyId;

    @Column(name = "team", nullable = false)
    public String team;

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "status", nullable = false)
    public String status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "max_experiments", nullable = false)
    public int maxExperiments;

    @Column(name = "budget_used", nullable = false)
    public int budgetUsed;

    @Column(name = "champion_value")
    public Double championValue;

    @Column(name = "last_sequence", nullable = false)
    public long lastSequence;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
