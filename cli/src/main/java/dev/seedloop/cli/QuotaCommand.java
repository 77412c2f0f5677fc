package dev.seedloop.cli;

import java.util.concurrent.Callable;

import dev.seedloop.cli.auth.Session;
import dev.seedloop.cli.client.Answer;
import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.GatewayRecords.TeamQuota;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seedloop quota}: the team of the logged-in user (its token's {@code team} claim). */
@Command(description = {"Your team's quotas and today's usage.",
        "Team admins set them with --set-concurrent and/or --set-daily (an omitted one keeps its value)."})
final class QuotaCommand implements Callable<Integer> {

    private final Cli cli;

    @Option(names = "--set-concurrent", paramLabel = "N", description = "Most studies created, running or paused at once.")
    Integer concurrent;

    @Option(names = "--set-daily", paramLabel = "N", description = "Most experiments started per day (UTC).")
    Integer daily;

    QuotaCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if ((concurrent != null && concurrent < 1) || (daily != null && daily < 1)) {
            throw new CliException(ExitCode.USAGE, "Quotas are at least 1.");
        }
        Session session = cli.session();
        String team = session.credentials().team();
        if (team == null) {
            throw new CliException(ExitCode.FORBIDDEN, "Your token carries no team claim: ask an admin of the realm "
                    + "to put you in a team.");
        }
        GatewayClient gateway = cli.gateway(session);
        Answer<TeamQuota> answer;
        if (concurrent == null && daily == null) {
            answer = gateway.quota(team);
        } else {
            // The PUT sets both; the one not given keeps its current effective value.
            TeamQuota current = concurrent == null || daily == null ? gateway.quota(team).value() : null;
            answer = gateway.setQuota(team, concurrent != null ? concurrent : current.maxConcurrentStudies(),
                    daily != null ? daily : current.maxExperimentsPerDay());
        }
        if (cli.json()) {
            cli.printJson(answer.json());
        } else {
            TextViews.quota(cli.out(), answer.value());
        }
        return ExitCode.OK;
    }
}
