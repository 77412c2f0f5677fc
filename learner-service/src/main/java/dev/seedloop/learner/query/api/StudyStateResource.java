package dev.seedloop.learner.query.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.MediaType;

import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.domain.StudyStatus;
import dev.seedloop.learner.projection.application.StateJson;
import dev.seedloop.learner.domain.LearnerState;
import io.smallrye.mutiny.Uni;

/**
 * The learner's folded state of a study, for operators and the system tests: {@code source=live} is the
 * state the learner decides with, {@code source=replay} a fresh fold of the store from its latest snapshot,
 * {@code source=scratch} one from its first event whatever the snapshots. All three must be equal byte for
 * byte. Internal: not routed by the gateway, which serves users' reads (state as of a point: GetStateAt).
 */
@Path("/internal/studies/{studyId}/state")
public class StudyStateResource {

    @Inject
    EventRecorder recorder;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<String> state(@PathParam("studyId") String studyId,
            @QueryParam("source") @DefaultValue("live") String source) {
        Uni<LearnerState> folded = switch (source) {
            case "live" -> recorder.state(studyId);
            case "replay" -> recorder.replay(studyId);
            case "scratch" -> recorder.replayFromFirstEvent(studyId);
            default -> throw new BadRequestException("source must be 'live', 'replay' or 'scratch'");
        };
        return folded.map(state -> {
            if (state.study().status() == StudyStatus.NEW) {
                throw new NotFoundException("no events for study " + studyId);
            }
            return StateJson.write(state);
        });
    }
}
