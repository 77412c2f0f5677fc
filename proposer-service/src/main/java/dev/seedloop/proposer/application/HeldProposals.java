package dev.seedloop.proposer.application;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.messaging.StudyDirectory;

/**
 * Whether a study may get proposals now. An active study gets them; a halted or completed one never again;
 * a paused one gets them once it is resumed. The learner asks for nothing while it knows a study is paused,
 * so a request that meets a pause here crossed it in flight, or was caused by a resume this service has
 * not read yet. Either way the learner now counts those proposals as in flight: dropping the request
 * would leave the study waiting for results that never come.
 *
 * <p>Held work lives in memory: a restart while a study is paused loses it (the learner's next decision
 * point after the resume asks again only for what it does not count as in flight).
 */
@ApplicationScoped
public class HeldProposals {

    private static final Logger LOG = Logger.getLogger(HeldProposals.class);

    private final Map<String, List<Supplier<List<EventEnvelope>>>> held = new HashMap<>();

    @Inject
    StudyDirectory directory;

    /**
     * Calls {@code publish} with the held proposals of a study when it is resumed (on the directory's
     * reader thread, so it must not block), and forgets them when the study ends.
     */
    public void releaseTo(Consumer<List<EventEnvelope>> publish) {
        directory.onStatusChange(study -> {
            String studyId = study.created().studyId();
            List<Supplier<List<EventEnvelope>>> released;
            synchronized (this) {
                released = study.status() == StudyDirectory.Status.PAUSED ? List.of() : held.remove(studyId);
            }
            if (released == null || released.isEmpty()) {
                return;
            }
            if (study.status() == StudyDirectory.Status.ACTIVE) {
                LOG.infof("study %s resumed: proposing %d held request(s)", studyId, released.size());
                released.forEach(proposals -> publish.accept(proposals.get()));
            } else {
                LOG.infof("study %s is %s: dropping %d held request(s)", studyId, study.status(), released.size());
            }
        });
    }

    /**
     * @param proposals computes the proposals when they may be made (so they carry that moment's time)
     * @return true if they may be made now; otherwise they are held (paused study) or dropped (ended study)
     */
    public synchronized boolean admit(String studyId, Supplier<List<EventEnvelope>> proposals) {
        // Unknown yet: the study's creation is on its way to the directory, so it is active.
        StudyDirectory.Status status = directory.find(studyId).map(StudyDirectory.Entry::status)
                .orElse(StudyDirectory.Status.ACTIVE);
        switch (status) {
            case ACTIVE -> {
                return true;
            }
            case PAUSED -> {
                // Checked and held under this lock, which the release takes too: a resume read in between
                // either is seen here or finds this request held.
                held.computeIfAbsent(studyId, id -> new ArrayList<>()).add(proposals);
                LOG.infof("study %s is paused: request held until it is resumed", studyId);
            }
            default -> LOG.infof("study %s is %s: no more proposals", studyId, status);
        }
        return false;
    }
}
