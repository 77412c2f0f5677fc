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

    /** What approve and reject share: the candidate decided on, the call and its answer. */
    abstract static class Decide implements Callable<Integer> {

        private final Cli cli;
        private final Decision decision;

        @Parameters(index = "0", paramLabel = "ID", description = "The study id.")
        String studyId;

        @Parameters(index = "1", paramLabel = "CANDIDATE", description = "The candidate's proposal id.")
        String candidate;

        Decide(Cli cli, Decision decision) {
            this.cli = cli;
            this.decision = decision;
        }

        /** The {@code --reason}: each command declares its own, optional for approve, required for reject. */
        abstract String reason();

        @Override
        public Integer call() {
            Answer<ControlAccepted> answer = cli.gateway().decide(studyId, candidate, decision, reason());
            if (cli.json()) {
                cli.printJson(answer.json());
            } else {
                cli.out().println((decision == Decision.APPROVE ? "Approved" : "Rejected") + " candidate " + candidate
                        + " of study " + studyId + " (event " + answer.value().eventId() + ").");
            }
            return ExitCode.OK;
        }
    }

    @Command(description = "Approve a champion candidate waiting for approval (studies with manual promotion).")
    static final class Approve extends Decide {

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (optional).")
        String reason;

        Approve(Cli cli) {
            super(cli, Decision.APPROVE);
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(description = "Reject a champion candidate waiting for approval; the champion stays.")
    static final class Reject extends Decide {

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (required).")
        String reason;

        Reject(Cli cli) {
            super(cli, Decision.REJECT);
        }

        @Override
        String reason() {
            return reason;
        }
    }
}
