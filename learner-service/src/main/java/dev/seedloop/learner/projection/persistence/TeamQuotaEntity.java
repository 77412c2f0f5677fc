package dev.seedloop.learner.projection.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/**
 * One row of {@code team_quota}: a team's quotas from its latest TeamQuotaSet. Written only by
 * {@link ReadModels}'s batched upsert, never through Hibernate, hence {@link Immutable}.
 */
@Entity
@Immutable
@Table(name = "team_quota")
public class TeamQuotaEntity {

    @Id
    @Column(name = "team")
    public String team;

    @Column(name = "max_concurrent_studies", nullable = false)
    public int maxConcurrentStudies;

    @Column(name = "max_experiments_per_day", nullable = false)
    public int maxExperimentsPerDay;

    @Column(name = "set_by", nullable = false)
    public String setBy;

    @Column(name = "set_at", nullable = false)
    public Instant setAt;
}
