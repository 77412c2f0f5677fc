package dev.seedloop.cli;

import java.util.concurrent.Callable;

import dev.seedloop.cli.client.Answer;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.GatewayRecords.ControlAccepted;
import dev.seedloop.cli.client.GatewayRecords.Decision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seedloop approve|reject}: an approver's decision on a pending champion candidate. */
final class CandidateCommands {

    private CandidateCommands() {
    }

    @Command(description = "Approve a champion candidate waiting for approval (studies with manual promotion).")
    static final class Approve implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", paramLabel = "ID", description = "The study id.")
        String studyId;

        @Parameters(index = "1", paramLabel = "CANDIDATE", description = "The candidate's proposal id.")
        String candidate;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (optional).")
        String reason;

        Approve(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            return decide(cli, studyId, candidate, Decision.APPROVE, reason);
        }
    }

    @Command(description = "Reject a champion candidate waiting for approval; the champion stays.")
    static final class Reject implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", paramLabel = "ID", description = "The study id.")
        String studyId;

        @Parameters(index = "1", paramLabel = "CANDIDATE", description = "The candidate's proposal id.")
        String candidate;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (required).")
        String reason;

        Reject(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            return decide(cli, studyId, candidate, Decision.REJECT, reason);
        }
    }

    private static int decide(Cli cli, String studyId, String candidate, Decision decision, String reason) {
        Answer<ControlAccepted> answer = cli.gateway().decide(studyId, candidate, decision, reason);
        if (cli.json()) {
            cli.printJson(answer.json());
        } else {
            cli.out().println((decision == Decision.APPROVE ? "Approved" : "Rejected") + " candidate " + candidate
                    + " of study " + studyId + " (event " + answer.value().eventId() + ").");
        }
        return ExitCode.OK;
    }
}
