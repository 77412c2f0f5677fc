package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code --output json}: the gateway's bodies as they came, wherever the option is written. */
class JsonOutputTest extends CliTestBase {

    private static final String NL = System.lineSeparator();

    @Test
    void studyGetPrintsTheViewVerbatimBeforeOrAfterTheSubcommand() {
        String view = Fixtures.studyView("running", 3).replace("\"champion\":null", "\"champion\":{\"proposalId\":"
                + "\"0193f7a2-5d02-7a6c-b4e1-93f0d8a2c615\",\"evaluationId\":\"c4a7e2f9-1b3d-8a64-9e0f-7d2c5b8a1e43\","
                + "\"value\":1.50,\"since\":\"2026-11-23T12:03:45.103Z\",\"evidence\":null,\"approvedBy\":null}");
        gateway.json("GET", Fixtures.STUDY_PATH, 200, view);

        assertThat(cli.run("--output", "json", "study", "get", Fixtures.STUDY).out()).isEqualTo(view + NL);
        assertThat(cli.run("study", "get", Fixtures.STUDY, "--output=JSON").out()).isEqualTo(view + NL);
    }

    @Test
    void aMultiLineBodyBecomesOneLine() throws Exception {
        gateway.json("GET", "/api/v1/studies", 200, "{\n  \"items\": [],\n  \"offset\": 0,\n  \"limit\": 50,\n"
                + "  \"total\": 0\n}\n");

        CliRunner.Result result = cli.run("study", "list", "--output", "json");

        assertThat(result.out()).isEqualTo("{\"items\":[],\"offset\":0,\"limit\":50,\"total\":0}" + NL);
    }

    @Test
    void controlsAndDecisionsPrintTheAcknowledgement() throws Exception {
        String accepted = "{\"studyId\":\"" + Fixtures.STUDY + "\",\"action\":\"halt\",\"eventId\":\"e\","
                + "\"by\":\"alice\",\"reason\":\"wrong metric\"}";
        gateway.json("POST", Fixtures.STUDY_PATH + "/halt", 202, accepted);
        gateway.json("POST", Fixtures.STUDY_PATH + "/candidates/p-1/reject", 202, accepted);

        assertThat(cli.run("study", "halt", Fixtures.STUDY, "--reason", "wrong metric", "--output", "json").out())
                .isEqualTo(accepted + NL);
        assertThat(cli.run("reject", Fixtures.STUDY, "p-1", "--reason", "noise", "--output", "json").out())
                .isEqualTo(accepted + NL);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode haltBody = mapper.readTree(gateway.requestsTo(Fixtures.STUDY_PATH + "/halt").getFirst().body());
        assertThat(haltBody.path("reason").asText()).isEqualTo("wrong metric");
        assertThat(gateway.requestsTo(Fixtures.STUDY_PATH + "/candidates/p-1/reject").getFirst().body())
                .isEqualTo("{\"reason\":\"noise\"}");
    }

    @Test
    void textOutputOfAControlIsOneSentence() {
        gateway.json("POST", Fixtures.STUDY_PATH + "/pause", 202, "{\"studyId\":\"" + Fixtures.STUDY
                + "\",\"action\":\"pause\",\"eventId\":\"e-9\",\"by\":\"alice\",\"reason\":\"\"}");

        CliRunner.Result result = cli.run("study", "pause", Fixtures.STUDY);

        assertThat(result.out()).isEqualTo("Pause accepted for study " + Fixtures.STUDY + " (event e-9, by alice)." + NL);
        assertThat(gateway.requestsTo(Fixtures.STUDY_PATH + "/pause").getFirst().body()).isEmpty();
    }
}
