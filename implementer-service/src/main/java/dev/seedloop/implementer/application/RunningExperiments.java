package dev.seedloop.implementer.application;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The experiments this instance runs right now, by study: what a halt stops, and what the health check
 * compares with each experiment's own deadline.
 */
@ApplicationScoped
public class RunningExperiments {

    private final Set<RunningExperiment> running = ConcurrentHashMap.newKeySet();

    /** Called on the experiment's own thread, before anything of it runs. */
    public RunningExperiment start(String studyId, UUID experimentId, Instant deadline) {
        RunningExperiment experiment = new RunningExperiment(studyId, experimentId, deadline);
        running.add(experiment);
        return experiment;
    }

    public void finish(RunningExperiment experiment) {
        running.remove(experiment);
    }

    /** Stops every running experiment of the study (see {@link RunningExperiment#halt()}). */
    public void halt(String studyId) {
        running.stream().filter(e -> e.studyId().equals(studyId)).forEach(RunningExperiment::halt);
    }

    public int count() {
        return running.size();
    }

    /** Experiments still running after their deadline, the longest overdue first. */
    public List<RunningExperiment> overdue(Instant now) {
        return running.stream().filter(e -> now.isAfter(e.deadline()))
                .sorted(Comparator.comparing(RunningExperiment::deadline)).toList();
    }
}
