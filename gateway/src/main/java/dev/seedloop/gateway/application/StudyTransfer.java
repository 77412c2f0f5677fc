package dev.seedloop.gateway.application;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyExport;
import dev.seedloop.gateway.domain.ImportPlacement;
import dev.seedloop.gateway.domain.StudyControl;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Export streams a study from the learner page by page; import checks a whole file, then publishes it. */
@ApplicationScoped
public class StudyTransfer {

    private static final int PAGE = 500;
    /** Events per Kafka record, and bytes: well under the broker's default 1 MB message limit. */
    private static final int CHUNK_EVENTS = 200;
    private static final int CHUNK_BYTES = 512 * 1024;

    /** A checked import on its way to the learner. */
    public record Imported(String studyId, int events) {
    }

    @Inject
    LearnerQueries queries;

    @Inject
    EventCodec codec;

    @Inject
    Clock clock;

    @Inject
    @Channel("imports-out")
    MutinyEmitter<byte[]> imports;

    /**
     * The study's events up to the moment of the request, as an export file written page by page (memory for
     * one page). Events stored while the export runs are left out, so the file is one consistent cut. The
     * study's existence for the team is checked before anything is written (404 otherwise). Blocking.
     */
    public StreamingOutput export(String team, String studyId) {
        Views.StudyView study = queries.study(team, studyId).await().indefinitely();
        long last = study.lastSequence();
        return out -> {
            StudyExport.Writer writer = new StudyExport.Writer();
            Writer lines = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            lines.write(writer.header(studyId, team, last, clock.instant()));
            lines.write('\n');
            long after = 0;
            boolean more = true;
            while (more && after < last) {
                Views.EventPage page = queries.events(team, studyId, after, PAGE, List.of()).await().indefinitely();
                for (Views.StoredEventView stored : page.items()) {
                    if (stored.sequence() > last) {
                        break;
                    }
                    lines.write(writer.event(stored.sequence(), stored.event().toString()));
                    lines.write('\n');
                    after = stored.sequence();
                }
                more = page.more() && !page.items().isEmpty();
            }
            lines.write(writer.trailer());
            lines.write('\n');
            lines.flush();
        };
    }

    /**
     * Publishes the file's events for the caller's team, event ids preserved, under the study's own id or, when
     * another team of this installation holds the study, under a copy's id ({@link ImportPlacement}).
     *
     * @throws StudyExport.Refused   when the file is damaged (nothing is published)
     * @throws StudyControl.Conflict when the caller's team holds the study or a copy of it already
     */
    public Uni<Imported> importStudy(Caller caller, List<String> lines) {
        StudyExport.Contents contents = StudyExport.read(lines, codec);
        String fileStudy = contents.studyId();
        // A study's id is its StudyCreated's event id, which its copies keep: the root names the study however
        // many times it was copied, so a team can never come to hold it twice through a copy of a copy.
        String root = contents.events().getFirst().eventId().toString();
        return held(caller.team(), fileStudy, root)
                .map(held -> held == ImportPlacement.Held.NOTHING ? fileStudy
                        : ImportPlacement.studyId(root, caller.team(), held))
                .chain(studyId -> {
                    List<EventEnvelope> remapped = contents.events().stream()
                            .map(e -> new EventEnvelope(e.eventId(), studyId, caller.team(), e.occurredAt(),
                                    e.causationId(), e.correlationId(), e.producer(), e.payload()))
                            .toList();
                    return publish(studyId, remapped).replaceWith(new Imported(studyId, remapped.size()));
                });
    }

    /** What this installation holds of the study: the file's own study, its root, or the team's copy. */
    private Uni<ImportPlacement.Held> held(String team, String fileStudy, String root) {
        return queries.exists(team, fileStudy).chain(fileHeld -> queries.exists(team, root)
                .chain(rootHeld -> {
                    if (!fileHeld && !rootHeld) {
                        return Uni.createFrom().item(ImportPlacement.Held.NOTHING);
                    }
                    return owns(team, fileStudy)
                            .chain(ownsFile -> ownsFile ? Uni.createFrom().item(true) : owns(team, root))
                            .chain(own -> own ? Uni.createFrom().item(ImportPlacement.Held.OWN_STUDY)
                            : queries.exists(team, ImportPlacement.copyId(root, team)).map(copy -> copy
                                    ? ImportPlacement.Held.COPY : ImportPlacement.Held.OTHER_TEAMS_STUDY));
                }));
    }

    private Uni<Boolean> owns(String team, String studyId) {
        return queries.study(team, studyId).replaceWith(true).onFailure(NotFoundException.class).recoverWithItem(false);
    }

    private Uni<Void> publish(String studyId, List<EventEnvelope> events) {
        List<Uni<Void>> sends = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        int inChunk = 0;
        for (EventEnvelope event : events) {
            String line = codec.encodeToString(event);
            if (inChunk > 0 && (inChunk == CHUNK_EVENTS || chunk.length() + line.length() > CHUNK_BYTES)) {
                sends.add(send(studyId, chunk.toString()));
                chunk.setLength(0);
                inChunk = 0;
            }
            chunk.append(line).append('\n');
            inChunk++;
        }
        if (inChunk > 0) {
            sends.add(send(studyId, chunk.toString()));
        }
        // One after the other: the learner must receive the slices in order (same key, same partition).
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> send : sends) {
            chain = chain.chain(() -> send);
        }
        return chain;
    }

    private Uni<Void> send(String studyId, String lines) {
        return imports.sendMessage(Message.of(lines.getBytes(StandardCharsets.UTF_8))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(studyId).build()));
    }

}
