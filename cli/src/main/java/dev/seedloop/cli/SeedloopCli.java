package dev.seedloop.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.GatewayRecords.StudyAction;
import picocli.CommandLine;

/**
 * Entry point of {@code seedloop}. {@link #run(CliEnvironment, String...)} runs one command in process
 * and returns its {@link ExitCode}, never exiting the JVM: tests and the system tests call it with their
 * own streams, environment and time.
 */
public final class SeedloopCli {

    private SeedloopCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs with the real process surroundings ({@link CliEnvironment#system()}). */
    public static int run(String... args) {
        return run(CliEnvironment.system(), args);
    }

    public static int run(CliEnvironment env, String... args) {
        Cli cli = new Cli(env);
        CommandLine commandLine = commands(cli);
        commandLine.setOut(new PrintWriter(env.out(), true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(env.err(), true, StandardCharsets.UTF_8));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((failure, failed, parseResult) -> report(env, failure));
        try {
            return commandLine.execute(args);
        } finally {
            env.out().flush();
            env.err().flush();
        }
    }

    private static CommandLine commands(Cli cli) {
        CommandLine root = new CommandLine(new SeedloopCommand(cli));
        root.getCommandSpec().usageMessage().exitCodeList(ExitCode.descriptions());
        String version = SeedloopCli.class.getPackage().getImplementationVersion();
        root.getCommandSpec().version("seedloop " + (version == null ? "(development build)" : version));
        // Built by hand rather than through picocli's reflective factory: commands get the shared context.
        CommandLine study = new CommandLine(new StudyCommands.Study())
                .addSubcommand("create", new StudyCommands.Create(cli))
                .addSubcommand("fork", new StudyCommands.Fork(cli))
                .addSubcommand("baseline", new StudyCommands.Baseline(cli))
                .addSubcommand("compare", new StudyCommands.Compare(cli))
                .addSubcommand("list", new StudyCommands.ListStudies(cli))
                .addSubcommand("get", new StudyCommands.Get(cli), "show")
                .addSubcommand("watch", new StudyCommands.Watch(cli));
        for (StudyAction action : StudyAction.values()) {
            study.addSubcommand(action.path(), new StudyCommands.Control(cli, action));
            study.getSubcommands().get(action.path()).getCommandSpec().usageMessage()
                    .description(StudyCommands.Control.description(action));
        }
        return root.addSubcommand("login", new LoginCommand(cli))
                .addSubcommand("logout", new LogoutCommand(cli))
                .addSubcommand("study", study)
                .addSubcommand("approve", new CandidateCommands.Approve(cli))
                .addSubcommand("reject", new CandidateCommands.Reject(cli))
                .addSubcommand("events", new EventsCommand(cli))
                .addSubcommand("postmortem", new PostmortemCommand(cli))
                .addSubcommand("export", new TransferCommands.Export(cli))
                .addSubcommand("import", new TransferCommands.Import(cli))
                .addSubcommand("quota", new QuotaCommand(cli))
                .addSubcommand("workspace", new CommandLine(new WorkspaceCommands.Workspace())
                        .addSubcommand("push", new WorkspaceCommands.Push(cli)))
                .addSubcommand("checkout", new WorkspaceCommands.Checkout(cli));
    }

    /** One or two readable lines on stderr; a stack trace only for what we did not foresee. */
    private static int report(CliEnvironment env, Exception failure) {
        env.out().flush();
        if (failure instanceof CliException known) {
            env.err().println("seedloop: " + known.getMessage());
            known.details().forEach(line -> env.err().println("  " + line));
            return known.exitCode();
        }
        if (failure instanceof UncheckedIOException io) {
            env.err().println("seedloop: " + io.getMessage() + ": " + io.getCause().getMessage());
            return ExitCode.UNEXPECTED;
        }
        env.err().println("seedloop: unexpected error: " + failure);
        failure.printStackTrace(env.err());
        return ExitCode.UNEXPECTED;
    }
}
