package dev.seedloop.gateway.application;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyExport;
import dev.seedloop.gateway.domain.StudyControl;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Multi;
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
     * The study's events up to the moment of the request, as export lines (each ending in a newline). Events
     * stored while the export runs are left out, so the file is one consistent cut.
     */
    public Multi<String> export(String team, String studyId) {
        Views.StudyView study = queries.study(team, studyId).await().indefinitely();
        long last = study.lastSequence();
        StudyExport.Writer writer = new StudyExport.Writer();
        AtomicLong after = new AtomicLong(0);
        Multi<String> events = Multi.createBy().repeating()
                .uni(() -> queries.events(team, studyId, after.get(), PAGE, List.of()))
                .whilst(page -> page.more() && after.get() < last)
                .onItem().transformToIterable(Views.EventPage::items)
                .select().where(stored -> stored.sequence() <= last)
                .map(stored -> {
                    after.set(stored.sequence());
                    return writer.event(stored.sequence(), stored.event().toString()) + "\n";
                });
        return Multi.createBy().concatenating().streams(
                Multi.createFrom().item(writer.header(studyId, team, last, clock.instant()) + "\n"),
                events,
                Multi.createFrom().item(() -> writer.trailer() + "\n"));
    }

    /**
     * @throws StudyExport.Refused   when the file is damaged (nothing is published)
     * @throws StudyControl.Conflict when the study already exists here (event ids are unique per installation)
     */
    public Uni<Imported> importStudy(Caller caller, List<String> lines) {
        StudyExport.Contents contents = StudyExport.read(lines, codec);
        List<EventEnvelope> remapped = contents.events().stream()
                .map(e -> new EventEnvelope(e.eventId(), e.studyId(), caller.team(), e.occurredAt(), e.causationId(),
                        e.correlationId(), e.producer(), e.payload()))
                .toList();
        return queries.exists(caller.team(), contents.studyId())
                .invoke(exists -> {
                    if (exists) {
                        throw new StudyControl.Conflict("study " + contents.studyId()
                                + " already exists in this installation; event ids are unique here, so an export"
                                + " can only be imported into another installation");
                    }
                })
                .chain(() -> publish(contents.studyId(), remapped))
                .replaceWith(new Imported(contents.studyId(), remapped.size()));
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
