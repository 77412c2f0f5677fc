package dev.seedloop.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.sun.net.httpserver.HttpExchange;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;

/** Gateway bodies and stream frames for the sample study of the events module's {@link SampleEvents}. */
final class Fixtures {

    static final String STUDY = SampleEvents.STUDY_ID;
    static final String STUDY_PATH = "/api/v1/studies/" + STUDY;
    private static final EventCodec CODEC = new EventCodec();

    private Fixtures() {
    }

    static String json(EventEnvelope envelope) {
        return CODEC.encodeToString(envelope);
    }

    /** One SSE frame: id = sequence, event = type, data = the envelope. */
    static String frame(long sequence, EventEnvelope envelope) {
        return "id: " + sequence + "\nevent: " + envelope.type() + "\ndata: " + json(envelope) + "\n\n";
    }

    /** The same frame with the JSON split over two {@code data:} lines, as a server may send it. */
    static String splitFrame(long sequence, EventEnvelope envelope) {
        String json = json(envelope);
        int cut = json.indexOf(',') + 1;
        return "id: " + sequence + "\nevent: " + envelope.type() + "\ndata: " + json.substring(0, cut) + "\ndata: "
                + json.substring(cut) + "\n\n";
    }

    static String studyView(String status, long lastSequence) {
        return "{\"id\":\"" + STUDY + "\",\"team\":\"team-a\",\"name\":\"resnet-lr-sweep\",\"status\":\"" + status
                + "\",\"createdAt\":\"2026-11-23T12:00:00.123Z\",\"createdBy\":\"alice-researcher\","
                + "\"strategy\":\"evolutionary\",\"promotion\":\"manual\",\"metric\":\"val_loss\","
                + "\"direction\":\"minimize\",\"budget\":{\"maxExperiments\":40,\"used\":1,\"remaining\":39,"
                + "\"parallelism\":2},\"champion\":null,\"pendingApprovals\":[],\"proposals\":1,"
                + "\"experimentsCompleted\":1,\"experimentsFailed\":0,\"evaluations\":1,\"lastSequence\":"
                + lastSequence + ",\"completionReason\":null,\"controls\":[]}";
    }

    /**
     * A running study far into its run: 1000 of 2000 experiments done (10 failed), champion
     * {@code championId} at 0.0530, nothing pending.
     */
    static String longStudyView(long lastSequence, UUID championId) {
        return "{\"id\":\"" + STUDY + "\",\"team\":\"team-a\",\"name\":\"resnet-lr-sweep\",\"status\":\"running\","
                + "\"createdAt\":\"2026-11-23T12:00:00.123Z\",\"createdBy\":\"alice-researcher\","
                + "\"strategy\":\"evolutionary\",\"promotion\":\"auto\",\"metric\":\"val_loss\","
                + "\"direction\":\"minimize\",\"budget\":{\"maxExperiments\":2000,\"used\":1000,\"remaining\":1000,"
                + "\"parallelism\":8},\"champion\":{\"proposalId\":\"" + championId + "\",\"evaluationId\":\""
                + SampleEvents.EVALUATION_ID + "\",\"value\":0.0530,\"since\":\"2026-11-24T08:00:00Z\","
                + "\"evidence\":null,\"approvedBy\":null},\"pendingApprovals\":[],\"proposals\":1004,"
                + "\"experimentsCompleted\":990,\"experimentsFailed\":10,\"evaluations\":990,\"lastSequence\":"
                + lastSequence + ",\"completionReason\":null,\"controls\":[]}";
    }

    /** A lineage page with no nodes and these champions, oldest first. */
    static String lineage(UUID... champions) {
        StringBuilder steps = new StringBuilder();
        UUID previous = null;
        for (UUID champion : champions) {
            steps.append(steps.isEmpty() ? "" : ",").append("{\"proposalId\":\"").append(champion)
                    .append("\",\"previousProposalId\":").append(previous == null ? "null" : "\"" + previous + "\"")
                    .append(",\"value\":0.05,\"at\":\"2026-11-24T08:00:00Z\",\"approvedBy\":null}");
            previous = champion;
        }
        return "{\"champions\":[" + steps + "],\"nodes\":[],\"origin\":null,\"offset\":0,\"nodesTotal\":1004}";
    }

    /** Starts an event-stream answer and writes the frames; the caller's return closes it. */
    static void stream(HttpExchange exchange, String... frames) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        for (String frame : frames) {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        out.close();
    }
}
